package dev.flagsync.evaluator.validate;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.evaluator.condition.Numbers;
import dev.flagsync.evaluator.model.RuleJson;
import java.util.HashSet;
import java.util.Set;

/** Checks a list of variants (a flag's or a strategy's): unique names, weights 0 to 1000, payloads that parse. */
final class VariantValidation {

    static final int MAX_WEIGHT = 1000;

    private static final Set<String> FIELDS = Set.of("name", "weight", "weightType", "stickiness", "payload", "overrides");
    private static final Set<String> PAYLOAD_FIELDS = Set.of("type", "value");
    private static final Set<String> PAYLOAD_TYPES = Set.of("string", "json", "csv", "number");
    private static final Set<String> OVERRIDE_FIELDS = Set.of("contextName", "values");

    private VariantValidation() {
    }

    static void variants(JsonNode array, String path, JsonChecks checks) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            String variantPath = path + "[" + i + "]";
            JsonNode variant = array.get(i);
            if (!checks.object(variant, variantPath, FIELDS)) {
                continue;
            }
            String name = checks.nonEmptyString(variant, "name", variantPath, true);
            if (name != null && !names.add(name)) {
                checks.error(variantPath + ".name", "\"" + name + "\" is used by another variant of this list");
            }
            checks.integer(variant, "weight", variantPath, 0, MAX_WEIGHT, true);
            String weightType = checks.string(variant, "weightType", variantPath, false);
            if (weightType != null && !weightType.equals("variable") && !weightType.equals("fix")) {
                checks.error(variantPath + ".weightType", "must be \"variable\" or \"fix\"");
            }
            checks.nonEmptyString(variant, "stickiness", variantPath, false);
            if (variant.hasNonNull("payload")) {
                payload(variant.get("payload"), variantPath + ".payload", checks);
            }
            JsonNode overrides = checks.array(variant, "overrides", variantPath, false);
            for (int j = 0; overrides != null && j < overrides.size(); j++) {
                String overridePath = variantPath + ".overrides[" + j + "]";
                if (checks.object(overrides.get(j), overridePath, OVERRIDE_FIELDS)) {
                    checks.nonEmptyString(overrides.get(j), "contextName", overridePath, true);
                    checks.strings(overrides.get(j), "values", overridePath, true);
                }
            }
        }
    }

    private static void payload(JsonNode payload, String path, JsonChecks checks) {
        if (!checks.object(payload, path, PAYLOAD_FIELDS)) {
            return;
        }
        String type = checks.string(payload, "type", path, true);
        String value = checks.string(payload, "value", path, true);
        if (type != null && !PAYLOAD_TYPES.contains(type)) {
            checks.error(path + ".type", "must be one of string, json, csv, number");
        } else if (value != null && "number".equals(type) && Double.isNaN(Numbers.parse(value))) {
            checks.error(path + ".value", "\"" + value + "\" is not a decimal number");
        } else if (value != null && "json".equals(type)) {
            try {
                if (RuleJson.parse(value).isMissingNode()) {
                    checks.error(path + ".value", "is not JSON: it is empty");
                }
            } catch (JacksonException e) {
                checks.error(path + ".value", "is not JSON: " + e.getOriginalMessage());
            }
        }
    }
}
