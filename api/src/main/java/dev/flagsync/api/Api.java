package dev.flagsync.api;

import com.zaxxer.hikari.HikariDataSource;
import dev.flagsync.api.access.AccessServices;
import dev.flagsync.api.changes.ChangeSubscriber;
import dev.flagsync.api.http.ApiServer;
import dev.flagsync.api.read.FlagReader;
import dev.flagsync.api.read.Guard;
import dev.flagsync.api.stream.SnapshotBroadcaster;
import dev.flagsync.api.stream.StreamMetrics;
import dev.flagsync.api.stream.StreamSettings;
import dev.flagsync.shared.cache.RedisClients;
import dev.flagsync.shared.cache.RedisSnapshotCache;
import dev.flagsync.shared.db.Databases;
import dev.flagsync.shared.lifecycle.Components;
import dev.flagsync.shared.db.JooqFlagStore;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

/** One running API: every component wired by hand, closed in reverse order. */
public final class Api implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Api.class);

    private final Components resources = new Components();
    private final ApiServer server;
    private final FlagReader reader;
    private final StreamMetrics streams;

    private Api(ApiConfig config) {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        resources.own(metrics::close);

        HikariDataSource dataSource = Databases.pool(config.database(), "flagsync-api", 10);
        resources.own(dataSource);
        migrate(dataSource);
        RedisClient redis = RedisClients.pooled(config.redis(), config.redisCommandTimeout(), 64);
        resources.own(redis);
        ExecutorService loader = Executors.newVirtualThreadPerTaskExecutor();
        resources.own(loader::shutdownNow);

        Guard guard = new Guard(Duration.ofSeconds(2));
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(guard.registry()).bindTo(metrics);
        RedisSnapshotCache cache = new RedisSnapshotCache(redis, config.redis().snapshotTtl());
        JooqFlagStore store = new JooqFlagStore(dataSource);
        this.reader = new FlagReader(cache, store, guard, metrics, config.memoryTtl(), loader);

        Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
        checks.put("redis", () -> "PONG".equals(redis.ping()));
        checks.put("database", () -> isValid(dataSource));
        this.streams = new StreamMetrics(metrics);
        SnapshotBroadcaster broadcaster = new SnapshotBroadcaster(reader,
                new StreamSettings(config.sseMaxConnections(), config.sseHeartbeat(), config.sseMaxLifetime()), streams);
        AccessServices access = resources.own(AccessServices.start(config.access(), config.adminTokens(),
                config.readTokens(), dataSource, metrics));
        this.server = new ApiServer(config, reader, store, broadcaster, checks, metrics, access);
        resources.own(server);
        // Closed before the server, so open streams end and Jetty need not wait for them.
        resources.own(broadcaster);
        // The reader first: it drops its memory copy, so the broadcaster's read that follows is fresh.
        resources.own(new ChangeSubscriber(config.redis(), List.of(reader, broadcaster)).start());
    }

    public static Api start(ApiConfig config) {
        Api api = new Api(config);
        try {
            api.server.start(config.httpHost(), config.httpPort());
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
        return api;
    }

    public int port() {
        return server.port();
    }

    /** Open SSE streams, for tests and the benchmark. */
    public int openStreams() {
        return streams.open();
    }

    public FlagReader reader() {
        return reader;
    }

    /** The API can serve from Redis with PostgreSQL down, so a failed migration is not fatal. */
    private static void migrate(HikariDataSource dataSource) {
        try {
            Databases.migrate(dataSource);
        } catch (RuntimeException e) {
            LOG.error("database migration failed; serving from Redis until PostgreSQL is back: {}", e.getMessage());
        }
    }

    private static boolean isValid(HikariDataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        resources.close();
    }
}
