package dev.flagsync.evaluator.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.evaluator.condition.Cidr;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks strategies: a standard name, string parameters that name needs, constraints, segments, variants. */
final class StrategyValidation {

    private static final Set<String> FIELDS = Set.of("name", "title", "parameters", "constraints", "segments", "variants");

    /** Each standard strategy and the parameters it requires. */
    private static final Map<String, List<String>> REQUIRED = Map.of(
            "default", List.of(),
            "flexibleRollout", List.of("rollout"),
            "gradualRolloutUserId", List.of("percentage", "groupId"),
            "gradualRolloutSessionId", List.of("percentage", "groupId"),
            "gradualRolloutRandom", List.of("percentage"),
            "userWithId", List.of("userIds"),
            "remoteAddress", List.of("IPs"),
            "applicationHostname", List.of("hostNames"));

    private StrategyValidation() {
    }

    static void strategy(JsonNode node, String path, ValidationScope scope, JsonChecks checks) {
        if (!checks.object(node, path, FIELDS)) {
            return;
        }
        String name = checks.string(node, "name", path, true);
        if (name != null && !REQUIRED.containsKey(name)) {
            checks.error(path + ".name", "unknown strategy \"" + name + "\" (known: "
                    + String.join(", ", REQUIRED.keySet().stream().sorted().toList()) + ")");
        }
        JsonNode parameters = node.get("parameters");
        if (parameters != null && !parameters.isNull()) {
            parameters(name, parameters, path + ".parameters", checks);
        } else if (name != null && REQUIRED.containsKey(name) && !REQUIRED.get(name).isEmpty()) {
            checks.error(path + ".parameters", "is required: " + name + " needs " + String.join(", ", REQUIRED.get(name)));
        }
        JsonNode constraints = checks.array(node, "constraints", path, false);
        if (constraints != null) {
            ConstraintValidation.constraints(constraints, path + ".constraints", checks);
        }
        JsonNode segments = checks.array(node, "segments", path, false);
        for (int i = 0; segments != null && i < segments.size(); i++) {
            JsonNode id = segments.get(i);
            if (!id.isIntegralNumber() || !id.canConvertToInt()) {
                checks.error(path + ".segments[" + i + "]", "must be a segment id (an integer)");
            } else if (!scope.segmentIds().contains(id.intValue())) {
                checks.error(path + ".segments[" + i + "]", "segment " + id.intValue() + " does not exist");
            }
        }
        JsonNode variants = checks.array(node, "variants", path, false);
        if (variants != null) {
            VariantValidation.variants(variants, path + ".variants", checks);
        }
    }

    private static void parameters(String name, JsonNode parameters, String path, JsonChecks checks) {
        if (!parameters.isObject()) {
            checks.error(path, "must be a JSON object of strings");
            return;
        }
        List<String> required = name == null ? List.of() : REQUIRED.getOrDefault(name, List.of());
        parameters.properties().forEach(entry -> {
            if (!entry.getValue().isTextual()) {
                checks.error(path + "." + entry.getKey(), "must be a string (Unleash sends parameters as strings, e.g. \"50\")");
            }
        });
        for (String parameter : required) {
            if (!parameters.hasNonNull(parameter)) {
                checks.error(path + "." + parameter, "is required");
            } else if (parameters.get(parameter).isTextual() && parameters.get(parameter).textValue().isBlank()) {
                checks.error(path + "." + parameter, "must not be empty");
            }
        }
        for (String percentage : List.of("rollout", "percentage")) {
            String value = parameters.path(percentage).textValue();
            if (value != null && !isPercentage(value)) {
                checks.error(path + "." + percentage, "\"" + value + "\" must be a whole number from 0 to 100");
            }
        }
        if (parameters.path("stickiness").isTextual() && parameters.get("stickiness").textValue().isBlank()) {
            checks.error(path + ".stickiness", "must not be empty");
        }
        String addresses = parameters.path("IPs").textValue();
        if ("remoteAddress".equals(name) && addresses != null) {
            for (String entry : addresses.split(",")) {
                if (!entry.isBlank() && Cidr.parse(entry) == null) {
                    checks.error(path + ".IPs", "\"" + entry.strip() + "\" is not an IP address or CIDR network");
                }
            }
        }
    }

    private static boolean isPercentage(String value) {
        return value.matches("[0-9]{1,3}") && Integer.parseInt(value) <= 100;
    }
}
