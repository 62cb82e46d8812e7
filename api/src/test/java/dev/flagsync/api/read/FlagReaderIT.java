package dev.flagsync.api.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.flagsync.api.TestServers;
import dev.flagsync.localstack.Postgres;
import dev.flagsync.localstack.Redis;
import dev.flagsync.shared.cache.ChangeNotice;
import dev.flagsync.shared.cache.RedisClients;
import dev.flagsync.shared.cache.RedisSnapshotCache;
import dev.flagsync.shared.cache.SnapshotCache;
import dev.flagsync.shared.config.DatabaseConfig;
import dev.flagsync.shared.config.Env;
import dev.flagsync.shared.config.RedisConfig;
import dev.flagsync.shared.db.Databases;
import dev.flagsync.shared.db.FlagStore;
import dev.flagsync.shared.db.JooqFlagStore;
import dev.flagsync.shared.flag.EncodedSnapshot;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.FlagUpdate;
import dev.flagsync.shared.flag.Snapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The read path's concurrency guarantees, on real PostgreSQL and Redis. */
class FlagReaderIT {

    private static Postgres postgres;
    private static Redis redisServer;
    private static HikariDataSource dataSource;
    private static RedisClient redis;
    private static SnapshotCache cache;
    private static FlagStore store;
    private static ExecutorService loader;

    @BeforeAll
    static void start() {
        postgres = TestServers.freshDatabase();
        redisServer = TestServers.freshRedisDatabase();
        dataSource = Databases.pool(new DatabaseConfig(postgres.jdbcUrl(), postgres.user(), postgres.password()), "it", 4);
        Databases.migrate(dataSource);
        store = new JooqFlagStore(dataSource);
        RedisConfig config = RedisConfig.from(new Env(Map.of("REDIS_URL", redisServer.url())));
        redis = RedisClients.pooled(config, Duration.ofSeconds(1), 8);
        cache = new RedisSnapshotCache(redis, config.snapshotTtl());
        loader = Executors.newVirtualThreadPerTaskExecutor();
    }

    @AfterAll
    static void stop() {
        loader.shutdownNow();
        redis.close();
        dataSource.close();
    }

    private static FlagReader reader(FlagStore database) {
        return new FlagReader(cache, database, new Guard(Duration.ofSeconds(2)), new SimpleMeterRegistry(),
                Duration.ofSeconds(30), loader);
    }

    /**
     * Counts loads, and holds the first one at a gate until the test opens it: after its query
     * (by default), or before it, as a busy machine may schedule it.
     */
    private static final class GatedStore implements FlagStore {
        final AtomicInteger loads = new AtomicInteger();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        private final boolean queryAfterGate;

        GatedStore() {
            this(false);
        }

        GatedStore(boolean queryAfterGate) {
            this.queryAfterGate = queryAfterGate;
        }

        @Override
        public Snapshot load(String environment) {
            if (loads.incrementAndGet() > 1) {
                return store.load(environment);
            }
            Snapshot snapshot = queryAfterGate ? null : store.load(environment);
            entered.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return queryAfterGate ? store.load(environment) : snapshot;
        }

        @Override
        public Flag upsert(String environment, String key, FlagUpdate update) {
            return store.upsert(environment, key, update);
        }

        @Override
        public boolean delete(String environment, String key) {
            return store.delete(environment, key);
        }

        @Override
        public Map<String, Long> versions() {
            return store.versions();
        }
    }

    @Test
    void concurrentMissesCauseExactlyOneDatabaseLoad() throws Exception {
        store.upsert("reader-herd", "f", new FlagUpdate(true, 100, null));
        GatedStore gated = new GatedStore();
        FlagReader reader = reader(gated);
        ExecutorService clients = Executors.newFixedThreadPool(50);
        List<Future<Read>> reads = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            reads.add(clients.submit(() -> reader.read("reader-herd")));
        }
        gated.entered.await();
        gated.gate.countDown();

        for (Future<Read> read : reads) {
            assertThat(read.get().snapshot().snapshot().flag("f")).isPresent();
        }
        clients.shutdown();
        assertThat(gated.loads).hasValue(1);
    }

    @Test
    void slowFillWithAnOlderVersionNeverReplacesANewerSnapshot() throws Exception {
        store.upsert("reader-race", "f", new FlagUpdate(false, 100, null));
        GatedStore gated = new GatedStore();
        FlagReader reader = reader(gated);
        Future<Read> slowRead = loader.submit(() -> reader.read("reader-race"));
        gated.entered.await();

        // While the fill is held, the flag changes and the worker's rewarm lands first.
        store.upsert("reader-race", "f", new FlagUpdate(true, 100, null));
        Snapshot newer = store.load("reader-race");
        assertThat(cache.putIfNewer(FlagJson.encode(newer))).isTrue();
        gated.gate.countDown();

        Read read = slowRead.get();
        assertThat(cache.get("reader-race").orElseThrow().snapshot()).isEqualTo(newer);
        assertThat(read.snapshot().snapshot()).isEqualTo(newer);
        assertThat(read.source()).isEqualTo(Source.DATABASE);
    }

    @Test
    void aLoadThatFinishesAfterANewerOneNeverSendsAReaderBack() throws Exception {
        store.upsert("reader-overtaken", "f", new FlagUpdate(false, 100, null));
        GatedStore gated = new GatedStore(true);
        FlagReader reader = reader(gated);
        Future<Read> first = loader.submit(() -> reader.read("reader-overtaken"));
        gated.entered.await();
        // A notice drops the first load while it waits to query; the next read loads again and
        // stays in memory, holding the version of the moment.
        reader.invalidate("reader-overtaken");
        long older = reader.read("reader-overtaken").snapshot().version();
        store.upsert("reader-overtaken", "f", new FlagUpdate(true, 100, null));

        gated.gate.countDown(); // the first load queries now, and gets the newer version
        long newer = first.get().snapshot().version();

        assertThat(newer).isGreaterThan(older);
        // The same client reads again: memory still holds the second load's older copy.
        Read again = reader.read("reader-overtaken");
        assertThat(again.snapshot().version()).isEqualTo(newer);
        assertThat(again.source()).isEqualTo(Source.MEMORY);
    }

    @Test
    void aRedisCopyOlderThanOneAlreadyServedIsNeverServed() {
        store.upsert("reader-behind", "f", new FlagUpdate(false, 100, null));
        FlagReader reader = reader(store);
        EncodedSnapshot old = FlagJson.encode(store.load("reader-behind"));
        store.upsert("reader-behind", "f", new FlagUpdate(true, 100, null));
        Read served = reader.read("reader-behind");
        // Redis restarted from an old dump: it holds an older version than this reader has served.
        redis.set("feature_flags:reader-behind", new String(old.json(), StandardCharsets.UTF_8));
        reader.invalidate("reader-behind");

        Read again = reader.read("reader-behind");

        assertThat(again.source()).isEqualTo(Source.DATABASE);
        assertThat(again.snapshot().version()).isEqualTo(served.snapshot().version()).isGreaterThan(old.version());
        assertThat(cache.get("reader-behind").orElseThrow().version()).isEqualTo(served.snapshot().version()); // repaired
    }

    @Test
    void aNoticeOfAVersionRedisDoesNotHaveYetIsReadFromTheDatabase() {
        store.upsert("reader-notice", "f", new FlagUpdate(false, 100, null));
        FlagReader reader = reader(store);
        assertThat(reader.read("reader-notice").source()).isEqualTo(Source.DATABASE); // fills Redis
        store.upsert("reader-notice", "f", new FlagUpdate(true, 100, null));
        long newer = store.versions().get("reader-notice");

        // As the version poll tells it while no worker can rewarm Redis.
        reader.changed(new ChangeNotice("reader-notice", newer));

        Read read = reader.read("reader-notice");
        assertThat(read.source()).isEqualTo(Source.DATABASE);
        assertThat(read.snapshot().version()).isEqualTo(newer);
    }

    @Test
    void invalidateDropsTheMemoryCopy() {
        store.upsert("reader-invalidate", "f", new FlagUpdate(false, 100, null));
        FlagReader reader = reader(store);
        assertThat(reader.read("reader-invalidate").source()).isEqualTo(Source.DATABASE);
        assertThat(reader.read("reader-invalidate").source()).isEqualTo(Source.MEMORY);

        reader.invalidate("reader-invalidate");

        await().atMost(Duration.ofSeconds(5)).until(() -> reader.read("reader-invalidate").source() == Source.REDIS);
    }
}
