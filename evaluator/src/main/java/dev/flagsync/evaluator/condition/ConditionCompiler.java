package dev.flagsync.evaluator.condition;

import dev.flagsync.evaluator.model.Constraint;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles one constraint, leniently as Unleash's SDKs evaluate: an unknown operator is false
 * (even when inverted); a value that cannot be parsed (a bad number, date, semver or pattern)
 * makes the operator false, and {@code inverted} then turns that into true, as in the Node SDK.
 */
public final class ConditionCompiler {

    private ConditionCompiler() {
    }

    public static Condition compile(Constraint constraint, String path, Warnings warnings) {
        if (constraint == null) {
            warnings.warn(path, "a null constraint evaluates false");
            return Condition.NEVER;
        }
        Operator operator = Operator.lookup(constraint.operator());
        if (operator == null) {
            warnings.warn(path + ".operator", "unknown operator " + constraint.operator() + ": the constraint evaluates false");
            return Condition.NEVER;
        }
        Condition condition = compile(operator, constraint, path, warnings);
        return constraint.inverted() ? condition.negate() : condition;
    }

    private static Condition compile(Operator operator, Constraint c, String path, Warnings warnings) {
        ContextField field = ContextField.of(c.contextName());
        String valuePath = path + ".value";
        return switch (operator) {
            case IN -> StringConditions.in(field, cleaned(c.values()));
            case NOT_IN -> StringConditions.in(field, cleaned(c.values())).negate();
            case STR_STARTS_WITH, STR_ENDS_WITH, STR_CONTAINS ->
                    StringConditions.text(operator, field, cleaned(c.values()), c.caseInsensitive());
            case REGEX -> StringConditions.regex(field, c.value(), c.caseInsensitive(), valuePath, warnings);
            case IN_CIDR -> CidrCondition.of(field, cleaned(c.values()), path + ".values", warnings);
            case NUM_EQ, NUM_GT, NUM_GTE, NUM_LT, NUM_LTE ->
                    OrderConditions.number(operator.comparison(), field, c.value(), valuePath, warnings);
            case DATE_AFTER, DATE_BEFORE -> OrderConditions.date(operator.comparison(), c.value(), valuePath, warnings);
            case SEMVER_EQ, SEMVER_GT, SEMVER_GTE, SEMVER_LT, SEMVER_LTE ->
                    OrderConditions.semver(operator.comparison(), field, c.value(), valuePath, warnings);
        };
    }

    /** The SDKs' cleaning of list values: null and empty entries dropped, the rest trimmed. */
    static List<String> cleaned(List<String> values) {
        List<String> cleaned = new ArrayList<>();
        if (values != null) {
            for (String value : values) {
                if (value != null && !value.isEmpty()) {
                    cleaned.add(value.trim());
                }
            }
        }
        return cleaned;
    }
}
