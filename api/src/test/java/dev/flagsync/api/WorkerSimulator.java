package dev.flagsync.api;

import static org.awaitility.Awaitility.await;

import dev.flagsync.shared.cache.RedisKeys;
import dev.flagsync.shared.cache.RedisSnapshotCache;
import dev.flagsync.shared.flag.EncodedSnapshot;
import dev.flagsync.shared.flag.FlagJson;
import java.net.URI;
import java.time.Duration;
import redis.clients.jedis.Jedis;

/**
 * Does what the sync worker (another module) does after a change: rewarm Redis from
 * PostgreSQL with the compare-and-set, then publish on feature_flags:changes.
 */
public final class WorkerSimulator {

    private final ApiFixture fixture;
    private final RedisSnapshotCache cache;

    public WorkerSimulator(ApiFixture fixture) {
        this.fixture = fixture;
        this.cache = new RedisSnapshotCache(fixture.redisClient, Duration.ofMinutes(5));
    }

    /** Returns the version published. */
    public long rewarmAndPublish(String environment) {
        EncodedSnapshot snapshot = FlagJson.encode(fixture.database().store().load(environment));
        cache.putIfNewer(snapshot);
        cache.publishChange(environment, snapshot.version());
        return snapshot.version();
    }

    /** Waits until the API listens for changes, so a publish is not lost before it subscribed. */
    public void awaitApiSubscribed() {
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            try (Jedis jedis = new Jedis(URI.create(fixture.redis.url()))) {
                return jedis.pubsubNumSub(RedisKeys.CHANGES_CHANNEL).getOrDefault(RedisKeys.CHANGES_CHANNEL, 0L) >= 1;
            }
        });
    }
}
