package dev.flagsync.evaluator.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.flagsync.evaluator.condition.Cidr;
import dev.flagsync.evaluator.condition.Dates;
import dev.flagsync.evaluator.condition.Numbers;
import dev.flagsync.evaluator.condition.Operator;
import dev.flagsync.evaluator.condition.SemanticVersion;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Checks constraints: a known operator, and values the evaluator can use exactly as written. */
final class ConstraintValidation {

    private static final Set<String> FIELDS = Set.of("contextName", "operator", "values", "value", "caseInsensitive", "inverted");

    private ConstraintValidation() {
    }

    static void constraints(JsonNode array, String path, JsonChecks checks) {
        for (int i = 0; i < array.size(); i++) {
            constraint(array.get(i), path + "[" + i + "]", checks);
        }
    }

    static void constraint(JsonNode node, String path, JsonChecks checks) {
        if (!checks.object(node, path, FIELDS)) {
            return;
        }
        checks.nonEmptyString(node, "contextName", path, true);
        checks.optionalBoolean(node, "caseInsensitive", path);
        checks.optionalBoolean(node, "inverted", path);
        String name = checks.string(node, "operator", path, true);
        if (name == null) {
            return;
        }
        Operator operator = Operator.lookup(name);
        if (operator == null) {
            checks.error(path + ".operator", "unknown operator \"" + name + "\" (known: "
                    + String.join(", ", Arrays.stream(Operator.values()).map(Operator::name).toList()) + ")");
        } else if (operator.listValued()) {
            List<String> values = checks.strings(node, "values", path, true);
            if (operator == Operator.IN_CIDR && values != null) {
                for (int i = 0; i < values.size(); i++) {
                    if (Cidr.parse(values.get(i)) == null) {
                        checks.error(path + ".values[" + i + "]", "\"" + values.get(i) + "\" is not an IP address or CIDR network");
                    }
                }
            }
        } else {
            String value = checks.string(node, "value", path, true);
            if (value != null) {
                checkValue(operator, value, path + ".value", checks);
            }
        }
    }

    private static void checkValue(Operator operator, String value, String path, JsonChecks checks) {
        String problem = switch (operator) {
            case NUM_EQ, NUM_GT, NUM_GTE, NUM_LT, NUM_LTE ->
                    Double.isNaN(Numbers.parse(value)) ? "is not a decimal number" : null;
            case DATE_AFTER, DATE_BEFORE -> Dates.parse(value) == null || value.indexOf('T') < 0
                    ? "is not an ISO-8601 date-time such as 2026-01-31T12:00:00Z" : null;
            case SEMVER_EQ, SEMVER_GT, SEMVER_GTE, SEMVER_LT, SEMVER_LTE -> SemanticVersion.parse(value) == null
                    ? "is not a semantic version such as 1.2.3 or 2.0.0-rc.1 (no leading v)" : null;
            case REGEX -> regexProblem(value);
            default -> null;
        };
        if (problem != null) {
            checks.error(path, "\"" + value + "\" " + problem);
        }
    }

    private static String regexProblem(String pattern) {
        try {
            Pattern.compile(pattern);
            return null;
        } catch (PatternSyntaxException e) {
            return "is not an RE2 pattern: " + e.getDescription()
                    + " (RE2 has no lookaround or backreferences)";
        }
    }
}
