package dev.flagsync.api.ofrep;

import dev.flagsync.shared.flag.Flag;

/**
 * Evaluates a flag for a context, as contract section 4 defines it: disabled is {@code false}
 * (DISABLED), rollout 100 is {@code true} (STATIC), anything else is a SPLIT on the targeting
 * key's bucket. Pure: no I/O, no clock, no randomness.
 */
public final class Evaluator {

    private static final int FULL_ROLLOUT = 100;

    private Evaluator() {
    }

    public static Evaluation evaluate(Flag flag, EvaluationContext context) {
        if (!flag.enabled()) {
            return Evaluation.Resolved.of(flag.key(), false, Reason.DISABLED);
        }
        if (flag.rolloutPercentage() == FULL_ROLLOUT) {
            return Evaluation.Resolved.of(flag.key(), true, Reason.STATIC);
        }
        // Rollout 0 is still a split (contract: "otherwise ... SPLIT"), so it needs a key too,
        // and the answer does not change when the rollout is later raised above 0.
        if (!context.hasTargetingKey()) {
            return new Evaluation.Failed(flag.key(), ErrorCode.TARGETING_KEY_MISSING,
                    "flag " + flag.key() + " is rolled out to " + flag.rolloutPercentage()
                            + "% and needs context.targetingKey");
        }
        boolean on = Bucketing.bucket(flag.key(), context.targetingKey()) <= flag.rolloutPercentage();
        return Evaluation.Resolved.of(flag.key(), on, Reason.SPLIT);
    }
}
