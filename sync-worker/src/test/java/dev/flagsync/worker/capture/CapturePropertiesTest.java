package dev.flagsync.worker.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagsync.shared.config.Env;
import dev.flagsync.worker.WorkerConfig;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class CapturePropertiesTest {

    private static Properties from(String url) {
        return from(config(url));
    }

    static Properties from(WorkerConfig config) {
        return CaptureProperties.from(config.database(), config.slotName(), config.heartbeatInterval(), config.kafka(),
                config.capturePollInterval());
    }

    private static WorkerConfig config(String url) {
        return WorkerConfig.from(new Env(Map.of("DATABASE_URL", url, "DATABASE_USER", "flagsync",
                "DATABASE_PASSWORD", "pw", "KAFKA_BOOTSTRAP_SERVERS", "k:9092", "WORKER_ROLES", "capture",
                "TOPIC_PREFIX", "acme", "CAPTURE_SLOT_NAME", "acme_slot")));
    }

    @Test
    void pollsEveryTenMillisecondsUnlessCapturePollIntervalSaysOtherwise() {
        assertThat(from("jdbc:postgresql://db/flags")).containsEntry("poll.interval.ms", "10").containsEntry("max.batch.size", "1")
                .containsEntry("queue.provider.type", WakingQueue.NAME)
                .containsEntry("connector.class", IdleAwarePostgresConnector.class.getName());
        WorkerConfig slower = WorkerConfig.from(new Env(Map.of("DATABASE_URL", "jdbc:postgresql://db/flags",
                "DATABASE_USER", "flagsync", "DATABASE_PASSWORD", "pw", "KAFKA_BOOTSTRAP_SERVERS", "k:9092",
                "WORKER_ROLES", "capture", "CAPTURE_POLL_INTERVAL_MS", "50")));
        assertThat(from(slower)).containsEntry("poll.interval.ms", "50");
        assertThatThrownBy(() -> WorkerConfig.from(new Env(Map.of("DATABASE_URL", "jdbc:postgresql://db/flags",
                "DATABASE_USER", "flagsync", "DATABASE_PASSWORD", "pw", "KAFKA_BOOTSTRAP_SERVERS", "k:9092",
                "WORKER_ROLES", "capture", "CAPTURE_POLL_INTERVAL_MS", "0")))).hasMessageContaining("CAPTURE_POLL_INTERVAL_MS");
    }

    @Test
    void derivesConnectorSettingsFromTheWorkerConfig() {
        Properties p = from(("jdbc:postgresql://db.internal:6543/flags?sslmode=require"));
        assertThat(p).containsEntry("database.hostname", "db.internal").containsEntry("database.port", "6543")
                .containsEntry("database.dbname", "flags").containsEntry("plugin.name", "pgoutput")
                .containsEntry("slot.name", "acme_slot").containsEntry("publication.name", "acme_slot")
                .containsEntry("publication.autocreate.mode", "filtered").containsEntry("topic.prefix", "acme")
                .containsEntry("offset.storage.topic", "acme.capture-offsets")
                .containsEntry("snapshot.mode", "initial").containsEntry("skipped.operations", "none");
        assertThat(p.getProperty("table.include.list"))
                .isEqualTo("public.feature_flags,public.flag_segments," + CaptureProperties.HEARTBEAT_TABLE);
    }

    @Test
    void databaseUrlTlsSettingsReachDebezium() {
        Properties p = from(config("jdbc:postgresql://db/flags?sslmode=verify-full&sslrootcert=/certs/ca.pem"));
        assertThat(p).containsEntry("database.sslmode", "verify-full").containsEntry("database.sslrootcert", "/certs/ca.pem");
        assertThat(from(config("jdbc:postgresql://db/flags"))).doesNotContainKey("database.sslmode");
    }

    @Test
    void kafkaIsPlaintextUnlessConfigured() {
        assertThat(from(config("jdbc:postgresql://db/flags"))).containsEntry("security.protocol", "PLAINTEXT")
                .doesNotContainKey("sasl.jaas.config");
    }

    @Test
    void defaultPortIs5432() {
        assertThat(from(("jdbc:postgresql://db/flags"))).containsEntry("database.port", "5432");
    }

    @Test
    void multiHostUrlIsRejectedNamingTheVariable() {
        assertThatThrownBy(() -> from(("jdbc:postgresql://a:1,b:2/flags")))
                .hasMessageContaining("DATABASE_URL");
    }
}
