package dev.flagsync.api.changes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flagsync.api.ApiFixture;
import dev.flagsync.shared.cache.RedisSnapshotCache;
import dev.flagsync.shared.db.JooqFlagStore;
import dev.flagsync.shared.flag.FlagJson;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import redis.clients.jedis.Jedis;

/** A notification on feature_flags:changes drops the memory copy at once, even with a long memory TTL. */
class ChangeNotificationIT {

    private ApiFixture fixture;
    private RedisSnapshotCache cache;
    private JooqFlagStore store;

    @BeforeEach
    void start() {
        fixture = new ApiFixture(Map.of("MEMORY_CACHE_TTL_MS", "600000"));
        cache = new RedisSnapshotCache(fixture.redisClient, Duration.ofMinutes(5));
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(fixture.postgres.jdbcUrl());
        dataSource.setUser(fixture.postgres.user());
        dataSource.setPassword(fixture.postgres.password());
        store = new JooqFlagStore(dataSource);
        fixture.sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('notify', 'f')");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private HttpResponse<String> read() {
        return fixture.get("/api/v1/environments/notify/flags");
    }

    private long subscribers() {
        try (Jedis jedis = new Jedis(URI.create(fixture.redis.url()))) {
            return jedis.pubsubNumSub("feature_flags:changes").getOrDefault("feature_flags:changes", 0L);
        }
    }

    /** What the sync worker does after a change: rewarm Redis, then publish. */
    private void rewarmAndPublish() {
        var snapshot = FlagJson.encode(store.load("notify"));
        cache.putIfNewer(snapshot);
        cache.publishChange("notify", snapshot.version());
    }

    @Test
    void notificationDropsTheMemoryCopy() {
        await().atMost(Duration.ofSeconds(10)).until(() -> subscribers() == 1);
        read();
        assertThat(read().headers().firstValue("X-Flag-Source")).hasValue("memory");

        fixture.sql("UPDATE feature_flags SET enabled = true WHERE environment = 'notify'");
        rewarmAndPublish();

        await().atMost(Duration.ofSeconds(2)).until(() -> read().body().contains("\"enabled\":true"));
    }

    @Test
    void resubscribesAfterRedisRestartsAndDistrustsMemoryMeanwhile() {
        await().atMost(Duration.ofSeconds(10)).until(() -> subscribers() == 1);
        read();
        assertThat(read().headers().firstValue("X-Flag-Source")).hasValue("memory");

        fixture.redis.stop();
        // With no notifications possible, a memory copy is only trusted for a moment.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> read().headers().firstValue("X-Flag-Source").orElseThrow().equals("database"));

        fixture.redis.start();
        await().atMost(Duration.ofSeconds(15)).until(() -> subscribers() == 1);
        fixture.sql("UPDATE feature_flags SET enabled = true WHERE environment = 'notify'");
        rewarmAndPublish();
        await().atMost(Duration.ofSeconds(2)).until(() -> read().body().contains("\"enabled\":true"));
    }
}
