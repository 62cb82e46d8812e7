package dev.flagsync.api;

import com.zaxxer.hikari.HikariDataSource;
import dev.flagsync.api.access.AccessServices;
import dev.flagsync.api.backup.SnapshotBackup;
import dev.flagsync.api.changes.ChangeListeners;
import dev.flagsync.api.changes.ChangeSubscriber;
import dev.flagsync.api.changes.VersionPoller;
import dev.flagsync.api.frontend.FrontendContext;
import dev.flagsync.api.frontend.FrontendService;
import dev.flagsync.api.health.Health;
import dev.flagsync.api.http.Access;
import dev.flagsync.api.http.AdminResource;
import dev.flagsync.api.http.AuditResource;
import dev.flagsync.api.http.ApiServer;
import dev.flagsync.api.http.BenchmarkResource;
import dev.flagsync.api.http.FlagsResource;
import dev.flagsync.api.http.FrontendResource;
import dev.flagsync.api.http.HealthResource;
import dev.flagsync.api.http.ImportResource;
import dev.flagsync.api.http.MetricsResource;
import dev.flagsync.api.http.OfrepEventsResource;
import dev.flagsync.api.http.OfrepResource;
import dev.flagsync.api.http.Resource;
import dev.flagsync.api.http.SegmentsResource;
import dev.flagsync.api.http.StreamResource;
import dev.flagsync.api.http.TokensResource;
import dev.flagsync.api.http.UnleashClientResource;
import dev.flagsync.api.http.UnleashStreamingResource;
import dev.flagsync.api.ofrep.OfrepService;
import dev.flagsync.api.read.FlagReader;
import dev.flagsync.api.read.Guard;
import dev.flagsync.api.read.InitialLoad;
import dev.flagsync.api.rules.RulesCache;
import dev.flagsync.api.unleash.ClientFeaturesService;
import dev.flagsync.api.unleash.SdkMetrics;
import dev.flagsync.evaluator.Evaluator;
import dev.flagsync.evaluator.Host;
import dev.flagsync.api.stream.SnapshotBroadcaster;
import dev.flagsync.api.stream.StreamMetrics;
import dev.flagsync.api.stream.StreamSettings;
import dev.flagsync.shared.cache.RedisClients;
import dev.flagsync.shared.cache.RedisSnapshotCache;
import dev.flagsync.shared.db.Databases;
import dev.flagsync.shared.db.JooqFlagStore;
import dev.flagsync.shared.lifecycle.Components;
import dev.flagsync.shared.lifecycle.Loop;
import dev.flagsync.shared.propagation.StageTimers;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import redis.clients.jedis.RedisClient;

/** One running API: every component wired by hand, closed in reverse order. */
public final class Api implements AutoCloseable {

    private final Components resources = new Components();
    private final ApiServer server;
    private final FlagReader reader;
    private final StreamMetrics streams;

    private Api(ApiConfig config) {
        try {
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(metrics);
            new JvmThreadMetrics().bindTo(metrics);
            resources.own(metrics::close);

            // A read waits at most this for a connection, then falls back to the last known good copy.
            HikariDataSource dataSource = resources.own(Databases.pool(config.database(), "flagsync-api", 10,
                    Duration.ofMillis(500)));
            Schema schema = new Schema(dataSource);
            schema.tryMigrate();
            RedisClient redis = resources.own(RedisClients.pooled(config.redis(), config.redisCommandTimeout(), 64));
            ExecutorService loader = Executors.newVirtualThreadPerTaskExecutor();
            resources.own(loader::shutdownNow);

            Guard guard = new Guard(Duration.ofSeconds(2));
            TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(guard.registry()).bindTo(metrics);
            RedisSnapshotCache cache = new RedisSnapshotCache(redis, config.redis().snapshotTtl());
            JooqFlagStore store = new JooqFlagStore(dataSource);
            List<Loop> loops = new ArrayList<>();

            // Closed after everything that offers it snapshots, so the last ones still reach the disk.
            SnapshotBackup backup = config.snapshotBackupDir().map(dir -> resources.own(SnapshotBackup.open(dir))).orElse(null);
            this.reader = new FlagReader(cache, store, guard, metrics, config.memoryTtl(), loader,
                    backup == null ? snapshot -> { } : backup::offer);
            if (backup != null) {
                backup.restore().forEach(reader::restore);
                loops.add(backup.start().loop());
            }

            this.streams = new StreamMetrics(metrics);
            StageTimers stages = new StageTimers(metrics, "api");
            SnapshotBroadcaster broadcaster = new SnapshotBroadcaster(reader,
                    new StreamSettings(config.sseMaxConnections(), config.sseHeartbeat(), config.sseMaxLifetime()), streams,
                    stages);
            loops.add(broadcaster.heartbeatLoop());
            // The reader first: it drops its memory copy, so the broadcaster's read that follows is fresh.
            ChangeListeners listeners = ChangeListeners.timed(stages, reader, broadcaster);
            ChangeSubscriber subscriber = new ChangeSubscriber(config.redis(), listeners);
            loops.addAll(subscriber.loops());
            VersionPoller poller = new VersionPoller(store, reader::servedVersions, listeners, subscriber::isSubscribed,
                    metrics, VersionPoller.INTERVAL);
            loops.add(poller.loop());
            AccessServices access = resources.own(AccessServices.start(config.access(), config.adminTokens(),
                    config.readTokens(), dataSource, metrics));
            loops.add(access.refreshLoop());
            InitialLoad initialLoad = new InitialLoad(reader, listings(schema, store, cache));
            Health health = health(redis, dataSource, loops, initialLoad);

            Access http = new Access(access.control());
            this.server = resources.own(new ApiServer(config, http,
                    routes(config, store, broadcaster, health, metrics, access, http), metrics));
            // Closed before the server, so open streams end and Jetty need not wait for them.
            resources.own(broadcaster);
            resources.own(subscriber.start());
            resources.own(poller.start());
            resources.own(initialLoad.start());
        } catch (RuntimeException e) {
            resources.close(); // whatever was started before the failure
            throw e;
        }
    }

    /** Where the initial load learns which environments exist: PostgreSQL, else the snapshots in Redis. */
    private static Map<String, Supplier<Collection<String>>> listings(Schema schema, JooqFlagStore store,
                                                                     RedisSnapshotCache cache) {
        Map<String, Supplier<Collection<String>>> listings = new LinkedHashMap<>();
        listings.put("database", () -> {
            schema.ensureMigrated(); // PostgreSQL may have been down when the API started
            return store.versions().keySet();
        });
        listings.put("redis", cache::environments);
        return listings;
    }

    /** Built here, like everything else; the order is the routing order. */
    private List<Resource> routes(ApiConfig config, JooqFlagStore store, SnapshotBroadcaster broadcaster, Health health,
                                  PrometheusMeterRegistry metrics, AccessServices services, Access access) {
        AdminResource admin = new AdminResource(store, access);
        // One compilation per environment version, shared by OFREP and the Unleash frontend API.
        RulesCache rules = new RulesCache(metrics);
        Evaluator evaluator = new Evaluator(Host.system(hostname()));
        OfrepEventsResource ofrepEvents = new OfrepEventsResource(broadcaster, access);
        List<Resource> routes = new ArrayList<>(List.of(
                new TokensResource(services.tokens(), access),
                new AuditResource(services.audit(), access),
                new StreamResource(broadcaster, access), // before the one-flag route, whose {key} would match "stream"
                new FlagsResource(reader, access),
                admin,
                new SegmentsResource(store, access, admin),
                new ImportResource(admin),
                new OfrepResource(reader, access, new OfrepService(rules, evaluator), config.defaultEnvironment(), ofrepEvents),
                ofrepEvents,
                new UnleashClientResource(reader, access, new ClientFeaturesService(), new SdkMetrics(metrics),
                        config.defaultEnvironment()),
                new UnleashStreamingResource(broadcaster, access, config.defaultEnvironment()),
                new FrontendResource(reader, access, new FrontendService(rules, evaluator), config.defaultEnvironment(),
                        FrontendContext::randomSessionId),
                new HealthResource(health),
                new MetricsResource(metrics)));
        if (config.benchmarkEndpoints()) {
            routes.add(new BenchmarkResource(reader));
        }
        return routes;
    }

    /** This host's name, which the applicationHostname strategy compares against (docs/flags.md). */
    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private Health health(RedisClient redis, HikariDataSource dataSource, List<Loop> loops, InitialLoad initialLoad) {
        Map<String, BooleanSupplier> stores = new LinkedHashMap<>();
        stores.put("redis", () -> "PONG".equals(redis.ping()));
        stores.put("database", () -> isValid(dataSource));
        return new Health(stores, loops, initialLoad::problem, reader::knownEnvironments);
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
