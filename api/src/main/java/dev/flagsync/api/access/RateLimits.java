package dev.flagsync.api.access;

import dev.flagsync.shared.config.Env;

/**
 * Request budgets per API instance (variables in the README). A rate of 0 turns that limit off.
 *
 * @param tokenPerSecond      refill per token (frontend tokens: per token and client address)
 * @param anonymousPerSecond  refill per client address for requests without a valid token
 * @param authFailuresPerMinute failed authentications allowed per client address
 * @param maxBuckets          buckets kept in memory at most (least recently used go first)
 */
public record RateLimits(int tokenPerSecond, int tokenBurst, int anonymousPerSecond, int anonymousBurst,
                         int authFailuresPerMinute, int maxBuckets) {

    public static RateLimits from(Env env) {
        int tokenPerSecond = env.integer("RATE_LIMIT_TOKEN_PER_SECOND", 200, 0, 1_000_000);
        int anonymousPerSecond = env.integer("RATE_LIMIT_ANONYMOUS_PER_SECOND", 200, 0, 1_000_000);
        return new RateLimits(
                tokenPerSecond,
                env.integer("RATE_LIMIT_TOKEN_BURST", Math.max(1, tokenPerSecond * 2), 1, 10_000_000),
                anonymousPerSecond,
                env.integer("RATE_LIMIT_ANONYMOUS_BURST", Math.max(1, anonymousPerSecond * 2), 1, 10_000_000),
                env.integer("RATE_LIMIT_AUTH_FAILURES_PER_MINUTE", 30, 0, 1_000_000),
                env.integer("RATE_LIMIT_MAX_BUCKETS", 100_000, 100, 10_000_000));
    }

    @Override
    public String toString() {
        return "token " + tokenPerSecond + "/s (burst " + tokenBurst + "), anonymous " + anonymousPerSecond
                + "/s (burst " + anonymousBurst + "), auth failures " + authFailuresPerMinute + "/min, "
                + maxBuckets + " buckets";
    }
}
