package dev.flagsync.evaluator;

/**
 * A flag without strategies: today's model, exactly as contract §4 defines it. Disabled is off
 * (DISABLED); rollout 100 is on for everyone (STATIC); otherwise on when the userId's bucket
 * {@code murmur3("<flagKey>:<userId>") % 100 + 1} is at most the rollout (SPLIT), and without a
 * userId an error that OFREP answers as TARGETING_KEY_MISSING.
 */
final class LegacyFlag implements CompiledFlag {

    private static final int FULL_ROLLOUT = 100;

    private final String key;
    private final boolean enabled;
    private final int rolloutPercentage;
    private final Hashing.Group group;
    private final Evaluation disabled;
    private final Evaluation fullyOn;
    private final Evaluation splitOn;
    private final Evaluation splitOff;

    LegacyFlag(String key, boolean enabled, int rolloutPercentage) {
        this.key = key;
        this.enabled = enabled;
        this.rolloutPercentage = rolloutPercentage;
        this.group = Hashing.group(key);
        // Answers are immutable, so each of the four is built once per snapshot, not per request.
        this.disabled = Evaluation.off(key, Reason.DISABLED);
        this.fullyOn = Evaluation.on(key, EvaluatedVariant.NO_VARIANT, Reason.STATIC);
        this.splitOn = Evaluation.on(key, EvaluatedVariant.NO_VARIANT, Reason.SPLIT);
        this.splitOff = Evaluation.off(key, Reason.SPLIT);
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public Evaluation evaluate(Context context, Host host) {
        if (!enabled) {
            return disabled;
        }
        if (rolloutPercentage >= FULL_ROLLOUT) {
            return fullyOn;
        }
        // Rollout 0 is still a split (contract: "otherwise ... SPLIT"), so it needs a key too.
        String targetingKey = context.userId();
        if (targetingKey == null || targetingKey.isEmpty()) {
            return Evaluation.error(key, ErrorCode.TARGETING_KEY_MISSING,
                    "flag " + key + " is rolled out to " + rolloutPercentage + "% and needs context.targetingKey");
        }
        return group.bucket(targetingKey) <= rolloutPercentage ? splitOn : splitOff;
    }
}
