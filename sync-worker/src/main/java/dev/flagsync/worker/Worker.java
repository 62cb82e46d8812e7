package dev.flagsync.worker;

import com.zaxxer.hikari.HikariDataSource;
import dev.flagsync.shared.cache.RedisClients;
import dev.flagsync.shared.cache.RedisSnapshotCache;
import dev.flagsync.shared.db.Databases;
import dev.flagsync.shared.db.JooqFlagStore;
import dev.flagsync.shared.lifecycle.Components;
import dev.flagsync.worker.audit.AuditPruner;
import dev.flagsync.worker.capture.Capture;
import dev.flagsync.worker.capture.CaptureProperties;
import dev.flagsync.worker.capture.KafkaForwarder;
import dev.flagsync.worker.capture.SlotLagSampler;
import dev.flagsync.worker.metrics.MetricsServer;
import dev.flagsync.worker.metrics.Readiness;
import dev.flagsync.worker.metrics.WorkerMetrics;
import dev.flagsync.worker.sync.DeadLetters;
import dev.flagsync.worker.sync.Reconciler;
import dev.flagsync.worker.sync.Rewarmer;
import dev.flagsync.worker.sync.SyncLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

/**
 * The whole worker, wired by hand from its configuration. Components start in dependency
 * order and {@link #close()} stops them in reverse; Main and the tests both use this.
 */
public final class Worker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    private final Components started = new Components();
    private final WorkerMetrics metrics = new WorkerMetrics();
    private final MetricsServer http;

    private Worker(WorkerConfig config) throws Exception {
        try {
            Properties captureProperties = config.runs(Role.CAPTURE) ? CaptureProperties.from(config) : null;
            HikariDataSource pool = own(Databases.pool(config.database(), "flagsync-worker", 4));
            Databases.migrate(pool);
            KafkaTopics.ensure(config);
            own(AuditPruner.hourly(pool, config.auditRetention()).start());
            List<Readiness> components = new ArrayList<>();
            if (config.runs(Role.CAPTURE)) {
                components.add(startCapture(config, captureProperties, pool));
            }
            if (config.runs(Role.SYNC)) {
                components.add(startSync(config, pool));
            }
            http = own(new MetricsServer(config.metricsPort(), metrics, components));
            LOG.info("worker running roles {}; metrics on port {}", config.roles(), http.port());
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** Migrates the schema, creates the topics, and starts the configured roles. */
    public static Worker start(WorkerConfig config) throws Exception {
        return new Worker(config);
    }

    private Capture startCapture(WorkerConfig config, Properties properties, HikariDataSource pool) {
        var producer = own(KafkaClients.producer(config, "flagsync-capture"));
        Capture capture = own(new Capture(properties, config.database(), config.slotName(),
                new KafkaForwarder(producer, Topics.changes(config.topicPrefix()), metrics), metrics));
        capture.start();
        own(new SlotLagSampler(pool, config.slotName(), metrics, Duration.ofSeconds(10))).start();
        return capture;
    }

    private SyncLoop startSync(WorkerConfig config, HikariDataSource pool) {
        RedisClient redis = own(RedisClients.pooled(config.redis(), Duration.ofSeconds(2), 4));
        RedisSnapshotCache cache = new RedisSnapshotCache(redis, config.redis().snapshotTtl());
        JooqFlagStore store = new JooqFlagStore(pool);
        Rewarmer rewarmer = new Rewarmer(store, cache, metrics);
        var producer = own(KafkaClients.producer(config, "flagsync-sync-dlq"));
        SyncLoop sync = own(new SyncLoop(KafkaClients.consumer(config, "flagsync-sync"), Topics.changes(config.topicPrefix()),
                store, rewarmer, new DeadLetters(producer, Topics.deadLetters(config.topicPrefix())), metrics,
                config.syncCoalesceWindow()));
        sync.start();
        own(new Reconciler(store, cache, rewarmer, config.reconcileInterval())).start();
        return sync;
    }

    private <T extends AutoCloseable> T own(T component) {
        return started.own(component);
    }

    public WorkerMetrics metrics() {
        return metrics;
    }

    public int metricsPort() {
        return http.port();
    }

    @Override
    public void close() {
        started.close();
    }
}
