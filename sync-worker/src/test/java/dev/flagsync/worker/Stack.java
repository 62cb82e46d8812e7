package dev.flagsync.worker;

import static org.awaitility.Awaitility.await;

import dev.flagsync.localstack.Kafka;
import dev.flagsync.localstack.Postgres;
import dev.flagsync.localstack.Redis;
import dev.flagsync.shared.cache.RedisClients;
import dev.flagsync.shared.cache.RedisKeys;
import dev.flagsync.shared.cache.RedisSnapshotCache;
import dev.flagsync.shared.config.Env;
import dev.flagsync.shared.config.RedisConfig;
import dev.flagsync.shared.db.Databases;
import dev.flagsync.shared.db.JooqFlagStore;
import dev.flagsync.shared.flag.Snapshot;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.RedisClient;

/**
 * Real PostgreSQL, Redis and Kafka for one test class: the servers are this test JVM's shared
 * ones ({@link SharedServers}), the database, slot, topic prefix, consumer group and Redis
 * database are fresh and named after the class; plus the readers a test needs to check what the
 * worker did. Closing it drops the class's replication slots (an abandoned slot keeps WAL on the
 * shared server) and leaves the servers running.
 *
 * <p>Failsafe runs the test classes one after another in one JVM, so a class that stops and
 * starts a shared server (Redis outage, Kafka or PostgreSQL restart) affects only its own
 * workers; it restarts the server in a finally block before the next class begins.
 */
public final class Stack implements AutoCloseable {

    public final Postgres postgres;
    public final Redis redis;
    public final Kafka kafka;
    public final String name;
    public final String jdbcUrl;
    private final int redisDatabase;
    private RedisClient redisClient;
    private RedisSnapshotCache cache;
    private HikariDataSource pool;
    private JooqFlagStore store;

    public Stack(String name) {
        this(name, SharedServers.postgres(), SharedServers.redis(), SharedServers.kafka());
    }

    private Stack(String name, Postgres postgres, Redis redis, Kafka kafka) {
        this.postgres = postgres;
        this.redis = redis;
        this.kafka = kafka;
        this.name = name;
        this.jdbcUrl = postgres.createDatabase(name);
        this.redisDatabase = SharedServers.nextRedisDatabase();
    }

    /**
     * A stack on a PostgreSQL server the test class owns (one whose server-wide settings it
     * changes), with the shared Redis and Kafka.
     */
    public static Stack on(Postgres postgres, String name) {
        return new Stack(name, postgres, SharedServers.redis(), SharedServers.kafka());
    }

    /**
     * A fresh database, slot and topic prefix on the same servers, for a test whose statements
     * reach a whole table (TRUNCATE).
     */
    public Stack sibling(String name) {
        return new Stack(name, postgres, redis, kafka);
    }

    /** {@code redis://host:port/<db>}: this stack's own Redis database on the shared server. */
    public String redisUrl() {
        return redis.url() + "/" + redisDatabase;
    }

    /** The worker's environment for this stack; overrides win. */
    public Map<String, String> env(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", jdbcUrl);
        env.put("DATABASE_USER", postgres.user());
        env.put("DATABASE_PASSWORD", postgres.password());
        env.put("REDIS_URL", redisUrl());
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("TOPIC_PREFIX", name);
        env.put("CAPTURE_SLOT_NAME", name);
        env.put("SYNC_GROUP_ID", name + "-sync");
        env.put("METRICS_PORT", "0");
        env.put("CAPTURE_HEARTBEAT_INTERVAL_MS", "1000");
        env.putAll(overrides);
        return env;
    }

    public WorkerConfig config(Map<String, String> overrides) {
        return WorkerConfig.from(new Env(env(overrides)));
    }

    /** Creates the schema without a worker, for tests that write before one starts. */
    public void migrate() {
        Databases.migrate(pool());
    }

    /** A plain autocommit connection, like any other client of the flags table. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, postgres.user(), postgres.password());
    }

    public void sql(String... statements) {
        try (Connection connection = connect();
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Optional<Snapshot> cached(String environment) {
        return cache().get(environment).map(encoded -> encoded.snapshot());
    }

    public Snapshot stored(String environment) {
        if (store == null) {
            store = new JooqFlagStore(pool());
        }
        return store.load(environment);
    }

    /** Deletes an environment's Redis key behind the worker's back. */
    public void dropSnapshot(String environment) {
        cache();
        redisClient.del(RedisKeys.snapshot(environment));
    }

    public synchronized RedisSnapshotCache cache() {
        if (cache == null) {
            RedisConfig config = RedisConfig.from(new Env(Map.of("REDIS_URL", redisUrl())));
            redisClient = RedisClients.pooled(config, Duration.ofSeconds(2), 2);
            cache = new RedisSnapshotCache(redisClient, config.snapshotTtl());
        }
        return cache;
    }

    private synchronized HikariDataSource pool() {
        if (pool == null) {
            pool = Databases.pool(config(Map.of()).database(), "test-" + name, 2);
        }
        return pool;
    }

    /**
     * Drops this database's replication slots once their readers are gone (a closed worker's
     * engine lets go of its slot a moment after close; a killed process's when PostgreSQL sees
     * its connection drop).
     */
    private void dropSlots() {
        String drop = "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                + " WHERE database = current_database() AND NOT active";
        String left = "SELECT count(*) FROM pg_replication_slots WHERE database = current_database()";
        await("replication slots of " + name + " dropped").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute(drop);
                try (ResultSet rs = statement.executeQuery(left)) {
                    return rs.next() && rs.getInt(1) == 0;
                }
            }
        });
    }

    @Override
    public void close() {
        if (redisClient != null) {
            redisClient.close();
        }
        if (pool != null) {
            pool.close();
        }
        if (postgres.isRunning()) {
            dropSlots();
        }
    }
}
