package dev.flagsync.worker;

import dev.flagsync.shared.config.ConfigException;
import dev.flagsync.shared.config.DatabaseConfig;
import dev.flagsync.shared.config.Env;
import dev.flagsync.shared.config.RedisConfig;
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
        String kafkaBootstrapServers,
        String topicPrefix,
        short replicationFactor,
        int changeTopicPartitions,
        String syncGroupId,
        String slotName,
        Duration heartbeatInterval,
        Duration reconcileInterval,
        Duration syncCoalesceWindow,
        int metricsPort,
        Duration auditRetention) {

    private static final Pattern SLOT = Pattern.compile("[a-z0-9_]{1,63}");

    public static WorkerConfig from(Env env) {
        Set<Role> roles = Role.parse(env.optional("WORKER_ROLES", null) == null
                ? List.of("capture", "sync") : env.list("WORKER_ROLES"));
        String prefix = env.optional("TOPIC_PREFIX", "flagsync");
        if (!Topics.PREFIX.matcher(prefix).matches()) {
            throw new ConfigException("TOPIC_PREFIX must be 1-200 characters of A-Z a-z 0-9 . _ -");
        }
        String slot = env.optional("CAPTURE_SLOT_NAME", "flagsync");
        if (!SLOT.matcher(slot).matches()) {
            throw new ConfigException("CAPTURE_SLOT_NAME must be 1-63 characters of a-z 0-9 _");
        }
        String group = env.optional("SYNC_GROUP_ID", Topics.DEFAULT_SYNC_GROUP);
        return new WorkerConfig(
                roles,
                DatabaseConfig.from(env),
                roles.contains(Role.SYNC) ? RedisConfig.from(env) : null,
                env.required("KAFKA_BOOTSTRAP_SERVERS"),
                prefix,
                (short) env.integer("KAFKA_REPLICATION_FACTOR", 1, 1, Short.MAX_VALUE),
                env.integer("CHANGE_TOPIC_PARTITIONS", 1, 1, 10_000),
                group,
                slot,
                Duration.ofMillis(env.integer("CAPTURE_HEARTBEAT_INTERVAL_MS", 10_000, 100, 3_600_000)),
                Duration.ofSeconds(env.integer("RECONCILE_INTERVAL_SECONDS", 60, 1, 86_400)),
                Duration.ofMillis(env.integer("SYNC_COALESCE_MS", 100, 0, 10_000)),
                env.integer("METRICS_PORT", 9091, 0, 65_535),
                Duration.ofDays(env.integer("AUDIT_RETENTION_DAYS", 90, 0, 36_500)));
    }

    public boolean runs(Role role) {
        return roles.contains(role);
    }
}
