package dev.flagsync.api.read;

import dev.flagsync.shared.cache.SnapshotCache;
import dev.flagsync.shared.flag.EncodedSnapshot;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The read path's Redis calls, behind the breaker: a failure is a miss, never an error of the read. */
final class RedisTier {

    private static final Logger LOG = LoggerFactory.getLogger(RedisTier.class);

    private final SnapshotCache redis;
    private final Guard guard;
    private final ReadMetrics metrics;

    RedisTier(SnapshotCache redis, Guard guard, ReadMetrics metrics) {
        this.redis = redis;
        this.guard = guard;
        this.metrics = metrics;
    }

    Optional<EncodedSnapshot> get(String environment) {
        try {
            return guard.redis(() -> redis.get(environment));
        } catch (RuntimeException e) {
            metrics.fallback("redis", "database");
            LOG.debug("Redis read of {} failed, falling back to PostgreSQL: {}", environment, e.toString());
            return Optional.empty();
        }
    }

    /**
     * Writes a database read to Redis unless Redis already has a newer version, in which
     * case that newer copy is served instead. Never-written environments are not cached in
     * Redis, so requests for made-up names cannot fill it.
     */
    EncodedSnapshot fill(EncodedSnapshot fresh) {
        if (fresh.version() == 0) {
            return fresh;
        }
        try {
            if (guard.redis(() -> redis.putIfNewer(fresh))) {
                return fresh;
            }
            return guard.redis(() -> redis.get(fresh.environment())).orElse(fresh);
        } catch (RuntimeException e) {
            LOG.debug("could not fill Redis with {} version {}: {}", fresh.environment(), fresh.version(), e.toString());
            return fresh;
        }
    }
}
