package dev.flagsync.evaluator.validate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The strict check of flagsync's own write path (the admin API): everything the lenient
 * evaluator would quietly turn off (an unknown operator, a pattern RE2 refuses, a missing
 * segment, a dependency on a dependent flag...) is refused here, each error with its JSON path.
 * Pure: the environment's segments and flags come in a {@link ValidationScope}.
 */
public final class RuleValidator {

    static final int MAX_NAME_LENGTH = 255;

    private static final Set<String> FEATURE_FIELDS = Set.of("name", "description", "type", "project", "stale",
            "enabled", "rolloutPercentage", "strategies", "variants", "dependencies", "impressionData");
    private static final Set<String> SEGMENT_FIELDS = Set.of("id", "name", "description", "constraints");
    private static final Set<String> DEPENDENCY_FIELDS = Set.of("feature", "enabled", "variants");

    private RuleValidator() {
    }

    /** Errors of a flag named {@code name} (its key, e.g. from the URL) whose body is {@code feature}; empty when valid. */
    public static List<ValidationError> validateFeature(String name, JsonNode feature, ValidationScope scope) {
        JsonChecks checks = new JsonChecks();
        if (!checks.object(feature, "$", FEATURE_FIELDS)) {
            return checks.errors();
        }
        String bodyName = checks.string(feature, "name", "$", false);
        if (bodyName != null && !bodyName.equals(name)) {
            checks.error("$.name", "\"" + bodyName + "\" differs from the flag's key \"" + name + "\"");
        }
        String nameProblem = nameProblem(name);
        if (nameProblem != null) {
            checks.error(bodyName != null ? "$.name" : "$", "flag key " + nameProblem);
        }
        checks.optionalBoolean(feature, "enabled", "$");
        checks.optionalBoolean(feature, "impressionData", "$");
        checks.optionalBoolean(feature, "stale", "$");
        Integer rollout = checks.integer(feature, "rolloutPercentage", "$", 0, 100, false);
        JsonNode strategies = checks.array(feature, "strategies", "$", false);
        if (strategies != null && rollout != null && rollout != 100) {
            checks.error("$.rolloutPercentage", "must be 100 or absent when strategies are set (use a flexibleRollout strategy)");
        }
        for (int i = 0; strategies != null && i < strategies.size(); i++) {
            StrategyValidation.strategy(strategies.get(i), "$.strategies[" + i + "]", scope, checks);
        }
        JsonNode variants = checks.array(feature, "variants", "$", false);
        JsonNode dependencies = checks.array(feature, "dependencies", "$", false);
        if (strategies == null && (variants != null && !variants.isEmpty() || dependencies != null && !dependencies.isEmpty())) {
            checks.error("$.strategies", "is required when variants or dependencies are set");
        }
        if (variants != null) {
            VariantValidation.variants(variants, "$.variants", checks);
        }
        if (dependencies != null) {
            dependencies(name, dependencies, scope, checks);
        }
        return checks.errors();
    }

    /** Errors of a segment; empty when valid. */
    public static List<ValidationError> validateSegment(JsonNode segment) {
        JsonChecks checks = new JsonChecks();
        if (!checks.object(segment, "$", SEGMENT_FIELDS)) {
            return checks.errors();
        }
        checks.integer(segment, "id", "$", 1, Integer.MAX_VALUE, false);
        checks.nonEmptyString(segment, "name", "$", true);
        checks.string(segment, "description", "$", false);
        JsonNode constraints = checks.array(segment, "constraints", "$", true);
        if (constraints != null) {
            ConstraintValidation.constraints(constraints, "$.constraints", checks);
        }
        return checks.errors();
    }

    private static void dependencies(String name, JsonNode dependencies, ValidationScope scope, JsonChecks checks) {
        if (!dependencies.isEmpty() && scope.parentFlags().contains(name)) {
            checks.error("$.dependencies", "other flags depend on " + name + ", so it cannot depend on one (one level only)");
        }
        Set<String> parents = new HashSet<>();
        for (int i = 0; i < dependencies.size(); i++) {
            String path = "$.dependencies[" + i + "]";
            JsonNode dependency = dependencies.get(i);
            if (!checks.object(dependency, path, DEPENDENCY_FIELDS)) {
                continue;
            }
            String parent = checks.nonEmptyString(dependency, "feature", path, true);
            checks.optionalBoolean(dependency, "enabled", path);
            List<String> variants = checks.strings(dependency, "variants", path, false);
            if (dependency.path("enabled").isBoolean() && !dependency.get("enabled").booleanValue()
                    && variants != null && !variants.isEmpty()) {
                checks.error(path + ".variants", "apply only to a parent that must be enabled");
            }
            if (parent == null) {
                continue;
            }
            if (!parents.add(parent)) {
                checks.error(path + ".feature", "flag " + parent + " is named by another dependency");
            } else if (parent.equals(name)) {
                checks.error(path + ".feature", "a flag cannot depend on itself");
            } else if (!scope.flagKeys().contains(parent)) {
                checks.error(path + ".feature", "flag " + parent + " does not exist");
            } else if (scope.flagsWithDependencies().contains(parent)) {
                checks.error(path + ".feature", "flag " + parent + " depends on other flags itself (one level only)");
            }
        }
    }

    /** Why {@code key} is not a flag key Unleash allows (contract §6), or null: 1–255 characters, no control characters, no '/'. */
    static String nameProblem(String key) {
        if (key == null || key.isEmpty()) {
            return "must not be empty";
        }
        if (key.codePointCount(0, key.length()) > MAX_NAME_LENGTH) {
            return "must be at most " + MAX_NAME_LENGTH + " characters";
        }
        if (key.indexOf('/') >= 0) {
            return "must not contain '/'";
        }
        return key.codePoints().anyMatch(Character::isISOControl) ? "must not contain control characters" : null;
    }
}
