package dev.flagsync.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagsync.shared.config.ConfigException;
import dev.flagsync.shared.config.Env;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkerConfigTest {

    private static Map<String, String> required() {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", "jdbc:postgresql://db:5432/flagsync");
        env.put("DATABASE_USER", "flagsync");
        env.put("DATABASE_PASSWORD", "secret");
        env.put("REDIS_URL", "redis://cache:6379");
        env.put("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
        return env;
    }

    @Test
    void defaultsFollowTheContract() {
        WorkerConfig config = WorkerConfig.from(new Env(required()));
        assertThat(config.roles()).isEqualTo(Set.of(Role.CAPTURE, Role.SYNC));
        assertThat(config.topicPrefix()).isEqualTo("flagsync");
        assertThat(config.slotName()).isEqualTo("flagsync");
        assertThat(config.syncGroupId()).isEqualTo("flagsync-sync");
        assertThat(config.reconcileInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.metricsPort()).isEqualTo(9091);
        assertThat(config.metricsHost()).isEqualTo("0.0.0.0");
        assertThat(config.stallAfter()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.kafka().maxPollInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.kafka().sessionTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.kafka().replicationFactor()).isEqualTo((short) 1);
        assertThat(config.redis().snapshotTtl()).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void eachRoleRunsAlone() {
        Map<String, String> env = required();
        env.put("WORKER_ROLES", "sync");
        assertThat(WorkerConfig.from(new Env(env)).roles()).containsExactly(Role.SYNC);
        env.put("WORKER_ROLES", " Capture ");
        env.remove("REDIS_URL");
        assertThat(WorkerConfig.from(new Env(env)).redis()).isNull();
    }

    @Test
    void unknownRoleNamesWorkerRoles() {
        Map<String, String> env = required();
        env.put("WORKER_ROLES", "capture,rewarm");
        assertThatThrownBy(() -> WorkerConfig.from(new Env(env))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("WORKER_ROLES").hasMessageContaining("rewarm");
    }

    @Test
    void missingOrMalformedValuesNameTheVariable() {
        Map<String, String> env = required();
        env.remove("KAFKA_BOOTSTRAP_SERVERS");
        assertThatThrownBy(() -> WorkerConfig.from(new Env(env))).hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS");
        for (String[] bad : new String[][] {{"TOPIC_PREFIX", "a b"}, {"CAPTURE_SLOT_NAME", "Flag-Sync"},
                {"RECONCILE_INTERVAL_SECONDS", "0"}, {"METRICS_PORT", "70000"}, {"KAFKA_REPLICATION_FACTOR", "0"},
                {"METRICS_HOST", "local host"}, {"METRICS_HOST", "no-such-host.invalid"}, {"WORKER_STALL_SECONDS", "0"},
                {"SYNC_MAX_POLL_INTERVAL_MS", "10"}, {"SYNC_SESSION_TIMEOUT_MS", "5999"},
                {"SYNC_SESSION_TIMEOUT_MS", "1800001"}}) {
            Map<String, String> broken = required();
            broken.put(bad[0], bad[1]);
            assertThatThrownBy(() -> WorkerConfig.from(new Env(broken))).hasMessageContaining(bad[0]);
        }
    }

    @Test
    void metricsBindToTheGivenAddressAndTheCaptureStallCoversThreeHeartbeats() {
        Map<String, String> env = required();
        env.put("METRICS_HOST", "127.0.0.1");
        env.put("WORKER_STALL_SECONDS", "20");
        env.put("CAPTURE_HEARTBEAT_INTERVAL_MS", "10000");
        WorkerConfig config = WorkerConfig.from(new Env(env));
        assertThat(config.metricsHost()).isEqualTo("127.0.0.1");
        assertThat(config.stallAfter()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.captureStallAfter()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void toStringHidesSecrets() {
        Map<String, String> env = required();
        env.put("REDIS_URL", "redis://:hunter2@cache:6379");
        assertThat(WorkerConfig.from(new Env(env)).toString()).doesNotContain("secret").doesNotContain("hunter2");
    }
}
