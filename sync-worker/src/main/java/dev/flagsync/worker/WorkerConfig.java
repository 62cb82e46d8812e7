package dev.flagsync.worker;

import dev.flagsync.shared.config.ConfigException;
import dev.flagsync.shared.config.DatabaseConfig;
import dev.flagsync.shared.config.Env;
import dev.flagsync.shared.config.RedisConfig;
import dev.flagsync.worker.capture.CaptureProperties;
import dev.flagsync.worker.kafka.KafkaSecurity;
import dev.flagsync.worker.kafka.KafkaSettings;
import dev.flagsync.worker.kafka.Topics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The worker's whole configuration, read once from the environment and validated at start;
 * every error names the variable. Variables are listed in docs/sync-worker.md.
 */
public record WorkerConfig(
        Set<Role> roles,
        DatabaseConfig database,
        RedisConfig redis,
        KafkaSettings kafka,
        String slotName,
        Duration heartbeatInterval,
        Duration reconcileInterval,
        Duration syncCoalesceWindow,
        Duration stallAfter,
        String metricsHost,
        int metricsPort,
        Duration auditRetention,
        Duration capturePollInterval) {

    private static final Pattern SLOT = Pattern.compile("[a-z0-9_]{1,63}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:%_-]{1,253}");

    public static WorkerConfig from(Env env) {
        Set<Role> roles = Role.parse(env.optional("WORKER_ROLES", null) == null
                ? List.of("capture", "sync") : env.list("WORKER_ROLES"));
        String prefix = env.optional("TOPIC_PREFIX", "flagsync");
        if (!Topics.isValidPrefix(prefix)) {
            throw new ConfigException("TOPIC_PREFIX must be 1-200 characters of A-Z a-z 0-9 . _ -");
        }
        String slot = env.optional("CAPTURE_SLOT_NAME", "flagsync");
        if (!SLOT.matcher(slot).matches()) {
            throw new ConfigException("CAPTURE_SLOT_NAME must be 1-63 characters of a-z 0-9 _");
        }
        KafkaSettings kafka = new KafkaSettings(
                env.required("KAFKA_BOOTSTRAP_SERVERS"),
                prefix,
                (short) env.integer("KAFKA_REPLICATION_FACTOR", 1, 1, Short.MAX_VALUE),
                env.integer("CHANGE_TOPIC_PARTITIONS", 1, 1, 10_000),
                env.optional("SYNC_GROUP_ID", Topics.DEFAULT_SYNC_GROUP),
                Duration.ofMillis(env.integer("SYNC_MAX_POLL_INTERVAL_MS", 300_000, 1_000, 3_600_000)),
                // The brokers' default bounds (group.min/max.session.timeout.ms); see docs/sync-worker.md for the default.
                Duration.ofMillis(env.integer("SYNC_SESSION_TIMEOUT_MS", 10_000, 6_000, 1_800_000)),
                KafkaSecurity.from(env));
        return new WorkerConfig(
                roles,
                DatabaseConfig.from(env),
                roles.contains(Role.SYNC) ? RedisConfig.from(env) : null,
                kafka,
                slot,
                Duration.ofMillis(env.integer("CAPTURE_HEARTBEAT_INTERVAL_MS", 10_000, 100, 3_600_000)),
                Duration.ofSeconds(env.integer("RECONCILE_INTERVAL_SECONDS", 60, 1, 86_400)),
                Duration.ofMillis(env.integer("SYNC_COALESCE_MS", 100, 0, 10_000)),
                Duration.ofSeconds(env.integer("WORKER_STALL_SECONDS", 60, 1, 86_400)),
                metricsHost(env.optional("METRICS_HOST", "0.0.0.0")),
                env.integer("METRICS_PORT", 9091, 0, 65_535),
                Duration.ofDays(env.integer("AUDIT_RETENTION_DAYS", 90, 0, 36_500)),
                Duration.ofMillis(env.integer("CAPTURE_POLL_INTERVAL_MS", CaptureProperties.DEFAULT_POLL_INTERVAL_MS, 1, 10_000)));
    }

    /** An address this machine can bind: an IP literal or a name that resolves now. */
    private static String metricsHost(String host) {
        if (!HOST.matcher(host).matches()) {
            throw new ConfigException("METRICS_HOST must be an IP address or a host name, e.g. 127.0.0.1 or 0.0.0.0");
        }
        try {
            InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ConfigException("METRICS_HOST \"" + host + "\" does not resolve to an address");
        }
        return host;
    }

    public boolean runs(Role role) {
        return roles.contains(role);
    }

    public String topicPrefix() {
        return kafka.topicPrefix();
    }

    public String syncGroupId() {
        return kafka.syncGroupId();
    }

    /**
     * How long a capture may go without forwarding anything while it holds WAL before liveness
     * fails: {@link #stallAfter} but at least three heartbeats, since an idle healthy capture
     * forwards only its heartbeat.
     */
    public Duration captureStallAfter() {
        Duration heartbeats = heartbeatInterval.multipliedBy(3);
        return heartbeats.compareTo(stallAfter) > 0 ? heartbeats : stallAfter;
    }
}
