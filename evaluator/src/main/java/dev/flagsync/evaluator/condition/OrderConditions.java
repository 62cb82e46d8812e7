package dev.flagsync.evaluator.condition;

import dev.flagsync.evaluator.condition.Operator.Comparison;
import java.time.Instant;

/** NUM_*, DATE_* and SEMVER_*: the constraint's value parsed once; an unparsable one is false. */
final class OrderConditions {

    private OrderConditions() {
    }

    static Condition number(Comparison comparison, ContextField field, String value, String path, Warnings warnings) {
        double target = Numbers.parse(value);
        if (Double.isNaN(target)) {
            warnings.warn(path, "\"" + value + "\" is not a number: the operator evaluates false");
            return Condition.NEVER;
        }
        return (context, host) -> {
            double actual = Numbers.parse(field.valueIn(context));
            // Plain comparisons, not Double.compare, so that -0 equals 0 as in JavaScript.
            return !Double.isNaN(actual) && comparison.holds(actual == target ? 0 : actual < target ? -1 : 1);
        };
    }

    /**
     * DATE_AFTER / DATE_BEFORE compare the context's {@code currentTime}, or the host's clock when it
     * has none, strictly with the value; like every Unleash SDK they ignore {@code contextName}.
     */
    static Condition date(Comparison comparison, String value, String path, Warnings warnings) {
        Instant target = Dates.parse(value);
        if (target == null) {
            warnings.warn(path, "\"" + value + "\" is not an ISO-8601 date-time: the operator evaluates false");
            return Condition.NEVER;
        }
        return (context, host) -> {
            Instant now = context.hasCurrentTime() ? context.currentInstant() : host.clock().instant();
            return now != null && comparison.holds(now.compareTo(target));
        };
    }

    static Condition semver(Comparison comparison, ContextField field, String value, String path, Warnings warnings) {
        SemanticVersion target = SemanticVersion.parse(value);
        if (target == null) {
            warnings.warn(path, "\"" + value + "\" is not a semantic version: the operator evaluates false");
            return Condition.NEVER;
        }
        return (context, host) -> {
            SemanticVersion actual = SemanticVersion.parse(field.valueIn(context));
            return actual != null && comparison.holds(actual.compareTo(target));
        };
    }
}
