package dev.flagsync.evaluator.condition;

/**
 * Unleash's constraint operators. List operators read a constraint's {@code values}, the others
 * its single {@code value}; ordered ones carry the comparison they make.
 */
public enum Operator {
    IN(true, null),
    NOT_IN(true, null),
    STR_STARTS_WITH(true, null),
    STR_ENDS_WITH(true, null),
    STR_CONTAINS(true, null),
    NUM_EQ(false, Comparison.EQ),
    NUM_GT(false, Comparison.GT),
    NUM_GTE(false, Comparison.GTE),
    NUM_LT(false, Comparison.LT),
    NUM_LTE(false, Comparison.LTE),
    DATE_AFTER(false, Comparison.GT),
    DATE_BEFORE(false, Comparison.LT),
    SEMVER_EQ(false, Comparison.EQ),
    SEMVER_GT(false, Comparison.GT),
    SEMVER_GTE(false, Comparison.GTE),
    SEMVER_LT(false, Comparison.LT),
    SEMVER_LTE(false, Comparison.LTE),
    REGEX(false, null),
    IN_CIDR(true, null);

    private final boolean listValued;
    private final Comparison comparison;

    Operator(boolean listValued, Comparison comparison) {
        this.listValued = listValued;
        this.comparison = comparison;
    }

    /** The operator of that exact (case-sensitive) name, or null when Unleash has none. */
    public static Operator lookup(String name) {
        if (name == null) {
            return null;
        }
        for (Operator operator : values()) {
            if (operator.name().equals(name)) {
                return operator;
            }
        }
        return null;
    }

    public boolean listValued() {
        return listValued;
    }

    Comparison comparison() {
        return comparison;
    }

    /** How an ordered operator compares the context's value with the constraint's. */
    enum Comparison {
        EQ, GT, GTE, LT, LTE;

        /** Whether {@code order}, the sign of compare(contextValue, constraintValue), satisfies it. */
        boolean holds(int order) {
            return switch (this) {
                case EQ -> order == 0;
                case GT -> order > 0;
                case GTE -> order >= 0;
                case LT -> order < 0;
                case LTE -> order <= 0;
            };
        }
    }
}
