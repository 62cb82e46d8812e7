package dev.flagsync.shared.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flagsync.localstack.Redis;
import dev.flagsync.localstack.Servers;
import dev.flagsync.shared.config.Env;
import dev.flagsync.shared.config.RedisConfig;
import dev.flagsync.shared.flag.EncodedSnapshot;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.Snapshot;
import dev.flagsync.shared.propagation.Micros;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisClient;

class RedisSnapshotCacheIT {

    private static Redis server;
    private static RedisClient redis;
    private static SnapshotCache cache;

    @BeforeAll
    static void start() {
        server = Servers.redis();
        RedisConfig config = RedisConfig.from(new Env(Map.of("REDIS_URL", server.url(), "CACHE_TTL_SECONDS", "120")));
        redis = RedisClients.pooled(config, Duration.ofSeconds(1), 4);
        cache = new RedisSnapshotCache(redis, config.snapshotTtl());
    }

    @AfterAll
    static void stop() {
        redis.close();
        server.close();
    }

    private static EncodedSnapshot snapshot(String env, long version, boolean enabled) {
        return FlagJson.encode(new Snapshot(env, version, List.of(new Flag("f", enabled, 100, null, Instant.parse("2026-01-01T00:00:00Z")))));
    }

    @Test
    void storesUnderTheContractKeyWithTheTtl() {
        assertThat(cache.putIfNewer(snapshot("cache-ttl", 3, true))).isTrue();

        assertThat(redis.get("feature_flags:cache-ttl")).startsWith("{\"environment\":\"cache-ttl\",\"version\":3");
        assertThat(redis.ttl("feature_flags:cache-ttl")).isBetween(100L, 120L);
        assertThat(cache.get("cache-ttl").orElseThrow().snapshot()).isEqualTo(snapshot("cache-ttl", 3, true).snapshot());
    }

    @Test
    void olderVersionNeverReplacesANewerSnapshot() {
        cache.putIfNewer(snapshot("cache-race", 10, true));

        assertThat(cache.putIfNewer(snapshot("cache-race", 9, false))).isFalse();
        assertThat(cache.get("cache-race").orElseThrow().version()).isEqualTo(10);
        assertThat(cache.putIfNewer(snapshot("cache-race", 11, false))).isTrue();
        assertThat(cache.get("cache-race").orElseThrow().version()).isEqualTo(11);
    }

    @Test
    void equalVersionRefreshesTheTtl() {
        cache.putIfNewer(snapshot("cache-refresh", 5, true));
        redis.expire("feature_flags:cache-refresh", 10);

        assertThat(cache.putIfNewer(snapshot("cache-refresh", 5, true))).isTrue();
        assertThat(redis.ttl("feature_flags:cache-refresh")).isGreaterThan(100L);
    }

    @Test
    void unreadableValueIsAMissAndIsReplacedByTheNextWrite() {
        redis.set("feature_flags:cache-junk", "not json");

        assertThat(cache.get("cache-junk")).isEmpty();
        assertThat(cache.putIfNewer(snapshot("cache-junk", 1, true))).isTrue();
        assertThat(cache.get("cache-junk")).isPresent();
    }

    @Test
    void worksAgainAfterScriptCacheIsFlushed() {
        cache.putIfNewer(snapshot("cache-flush", 1, true));
        redis.scriptFlush();

        assertThat(cache.putIfNewer(snapshot("cache-flush", 2, true))).isTrue();
        assertThat(cache.get("cache-flush").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void publishesChangesOnTheContractChannel() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                received.add(channel + " " + message);
            }
        };
        Thread subscriber = Thread.ofVirtual().start(() -> redis.subscribe(listener, "feature_flags:changes"));
        await().atMost(Duration.ofSeconds(5)).until(listener::isSubscribed);

        long sentAfter = Micros.now();
        cache.publishChange("cache-pub", 42);

        await().atMost(Duration.ofSeconds(5)).until(() -> !received.isEmpty());
        listener.unsubscribe();
        subscriber.join(5000);
        assertThat(received.getFirst()).startsWith("feature_flags:changes {\"environment\":\"cache-pub\",\"version\":42,");
        ChangeNotice notice = ChangeNotice.parse(received.getFirst().substring("feature_flags:changes ".length()));
        assertThat(notice).isEqualTo(new ChangeNotice("cache-pub", 42));
        assertThat(notice.publishedAtMicros()).isBetween(sentAfter, Micros.now());
    }

    @Test
    void listsTheEnvironmentsThatHaveASnapshot() {
        cache.putIfNewer(snapshot("cache-list-a", 1, true));
        cache.putIfNewer(snapshot("cache-list-b", 1, true));
        redis.set("feature_flags:Not A Name", "x");
        redis.set("other:cache-list-c", "x");

        assertThat(((RedisSnapshotCache) cache).environments()).contains("cache-list-a", "cache-list-b")
                .doesNotContain("Not A Name", "cache-list-c");
    }
}
