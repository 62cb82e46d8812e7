package dev.flagsync.evaluator.strategy;

import dev.flagsync.evaluator.Context;
import dev.flagsync.evaluator.Hashing;
import dev.flagsync.evaluator.Host;

/**
 * flexibleRollout and gradualRolloutUserId/SessionId: on when {@code percentage > 0} and the sticky
 * id's bucket ({@code normalized(groupId, id)}, 1 to 100) is at most the percentage. Without an id
 * the bucket is random where the stickiness allows it, else the rule is off.
 */
final class PercentageRule implements StrategyRule {

    private static final int BUCKETS = 100;

    private final Hashing.Group group;
    private final double percentage;
    private final Stickiness stickiness;

    PercentageRule(String groupId, double percentage, Stickiness stickiness) {
        this.group = Hashing.group(groupId);
        this.percentage = percentage;
        this.stickiness = stickiness;
    }

    @Override
    public boolean test(Context context, Host host) {
        if (!(percentage > 0)) {
            return false;
        }
        String id = stickiness.id(context);
        if (id == null && !stickiness.randomWhenMissing()) {
            return false;
        }
        if (percentage >= BUCKETS) {
            return true; // every bucket is at most 100: no need to hash
        }
        // Unleash hashes a random id; a uniformly random bucket has the same distribution.
        int bucket = id == null ? host.random().nextInt(BUCKETS) + 1 : group.bucket(id);
        return bucket <= percentage;
    }
}
