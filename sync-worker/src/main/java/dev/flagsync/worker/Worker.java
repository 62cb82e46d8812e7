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
import dev.flagsync.worker.capture.SlotLagSampler;
import dev.flagsync.worker.kafka.KafkaClients;
import dev.flagsync.worker.kafka.KafkaSettings;
import dev.flagsync.worker.kafka.KafkaTopics;
import dev.flagsync.worker.kafka.Topics;
import dev.flagsync.worker.metrics.HealthCheck;
import dev.flagsync.worker.metrics.MetricsServer;
import dev.flagsync.worker.metrics.WorkerMetrics;
import dev.flagsync.worker.sync.BatchApplier;
import dev.flagsync.worker.sync.DeadLetters;
import dev.flagsync.worker.sync.PostgresCommitVisibility;
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
            Properties captureProperties = config.runs(Role.CAPTURE) ? CaptureProperties.from(config.database(),
                    config.slotName(), config.heartbeatInterval(), config.kafka(), config.capturePollInterval()) : null;
            HikariDataSource pool = own(Databases.pool(config.database(), "flagsync-worker", 4));
            Databases.migrate(pool);
            KafkaTopics.ensure(config.kafka());
            own(AuditPruner.hourly(pool, config.auditRetention()).start());
            List<HealthCheck> parts = new ArrayList<>();
            Capture capture = config.runs(Role.CAPTURE) ? startCapture(config, captureProperties, pool, parts) : null;
            SyncLoop sync = config.runs(Role.SYNC) ? startSync(config, pool, parts) : null;
            if (capture != null && sync != null) {
                // Ready means a change made now reaches Redis now: not while the snapshot the
                // capture just streamed past is still ahead of the sync.
                capture.onStreaming(sync::requireCatchUp);
            }
            http = own(new MetricsServer(config.metricsHost(), config.metricsPort(), metrics, parts));
            LOG.info("worker running roles {}; metrics on {}:{}", config.roles(), config.metricsHost(), http.port());
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** Migrates the schema, creates the topics, and starts the configured roles. */
    public static Worker start(WorkerConfig config) throws Exception {
        return new Worker(config);
    }

    private Capture startCapture(WorkerConfig config, Properties properties, HikariDataSource pool, List<HealthCheck> parts) {
        var producer = own(KafkaClients.producer(config.kafka(), "flagsync-capture"));
        Capture capture = own(new Capture(properties, config.database(), producer, pool, metrics,
                config.captureStallAfter()));
        capture.start();
        parts.add(capture.health());
        parts.add(own(new SlotLagSampler(pool, config.slotName(), metrics, Duration.ofSeconds(10))).start().health());
        return capture;
    }

    private SyncLoop startSync(WorkerConfig config, HikariDataSource pool, List<HealthCheck> parts) {
        KafkaSettings kafka = config.kafka();
        RedisClient redis = own(RedisClients.pooled(config.redis(), Duration.ofSeconds(2), 4));
        RedisSnapshotCache cache = new RedisSnapshotCache(redis, config.redis().snapshotTtl());
        JooqFlagStore store = new JooqFlagStore(pool);
        Rewarmer rewarmer = new Rewarmer(store, cache, metrics);
        var producer = own(KafkaClients.producer(kafka, "flagsync-sync-dlq"));
        BatchApplier applier = new BatchApplier(store, rewarmer, new DeadLetters(producer),
                new PostgresCommitVisibility(pool), metrics);
        SyncLoop sync = own(new SyncLoop(KafkaClients.consumer(kafka, "flagsync-sync"), Topics.changeTopics(kafka.topicPrefix()),
                kafka.syncGroupId(), applier, metrics, config.syncCoalesceWindow(), config.stallAfter()));
        sync.start();
        parts.add(sync.health());
        parts.add(own(new Reconciler(store, cache, rewarmer, config.reconcileInterval())).start().health());
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
