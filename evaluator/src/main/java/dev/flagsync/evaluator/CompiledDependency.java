package dev.flagsync.evaluator;

import java.util.Set;

/**
 * One dependency on a parent flag, linked at compile time. A parent that is missing, or that has
 * dependencies itself (Unleash allows one level only, which also rules out cycles), is never met.
 * The parent is evaluated with the child's context.
 */
record CompiledDependency(String parentKey, CompiledFlag parent, boolean expectEnabled, Set<String> variants) {

    /** Null when met; otherwise the reason the child is off, taken from the parent's answer. */
    Reason unmetReason(Context context, Host host) {
        if (parent == null) {
            return Reason.DISABLED;
        }
        Evaluation answer = parent.evaluate(context, host);
        if (answer.isError()) {
            return Reason.DISABLED; // an unreadable parent, or a legacy split without a key, meets nothing
        }
        boolean met;
        if (!expectEnabled) {
            met = !answer.enabled();
        } else if (variants.isEmpty()) {
            met = answer.enabled();
        } else {
            met = answer.variant().featureEnabled() && variants.contains(answer.variant().name());
        }
        if (met) {
            return null;
        }
        Reason parentReason = answer.reason();
        return parentReason == Reason.TARGETING_MATCH || parentReason == Reason.SPLIT ? parentReason : Reason.DISABLED;
    }
}
