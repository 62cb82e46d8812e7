package dev.flagsync.worker.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagsync.shared.config.ConfigException;
import dev.flagsync.shared.config.Env;
import dev.flagsync.worker.WorkerConfig;
import dev.flagsync.worker.capture.CaptureProperties;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;

class KafkaSecurityTest {

    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", "jdbc:postgresql://db:5432/flagsync");
        env.put("DATABASE_USER", "flagsync");
        env.put("DATABASE_PASSWORD", "db-secret");
        env.put("REDIS_URL", "redis://cache:6379");
        env.put("KAFKA_BOOTSTRAP_SERVERS", "b-1.msk:9096");
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private static KafkaSecurity security(String... pairs) {
        return KafkaSecurity.from(new Env(env(pairs)));
    }

    private static Map<String, String> sasl() {
        return env("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_USERNAME", "flagsync",
                "KAFKA_SASL_PASSWORD", "kafka-secret");
    }

    @Test
    void plaintextByDefaultWithNothingElseSet() {
        assertThat(security().clientProperties()).containsExactly(Map.entry("security.protocol", "PLAINTEXT"));
    }

    @Test
    void tlsWithoutSaslNeedsNoCredentials() {
        assertThat(security("KAFKA_SECURITY_PROTOCOL", "ssl").clientProperties())
                .containsExactly(Map.entry("security.protocol", "SSL"));
    }

    @Test
    void saslSslDefaultsToScramSha512AsMskUses() {
        Map<String, String> p = KafkaSecurity.from(new Env(sasl())).clientProperties();
        assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(p.get("sasl.jaas.config")).startsWith("org.apache.kafka.common.security.scram.ScramLoginModule required");
    }

    @Test
    void jaasConfigKeepsQuotesAndBackslashesInTheCredentials() {
        String password = "p\"a\\ss;w0rd=x";
        Map<String, String> p = security("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM", "scram-sha-256",
                "KAFKA_SASL_USERNAME", "fl\"ag", "KAFKA_SASL_PASSWORD", password).clientProperties();
        // Parsed by Kafka's own JAAS parser, as the client will.
        AppConfigurationEntry entry = JaasContext.loadClientContext(
                Map.of("sasl.jaas.config", new Password(p.get("sasl.jaas.config")))).configurationEntries().get(0);
        assertThat(entry.getOptions().get("username")).isEqualTo("fl\"ag");
        assertThat(entry.getOptions().get("password")).isEqualTo(password);
        assertThat(p).containsEntry("sasl.mechanism", "SCRAM-SHA-256");
    }

    @Test
    void settingsAreValidKafkaClientConfiguration() {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "b-1.msk:9096");
        KafkaSecurity.from(new Env(sasl())).applyTo(props);
        AdminClientConfig parsed = new AdminClientConfig(props);
        assertThat(parsed.getString("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(parsed.getPassword("sasl.jaas.config")).isInstanceOf(Password.class);
    }

    @Test
    void caFileSwitchesToAPemTrustStore() {
        assertThat(security("KAFKA_SECURITY_PROTOCOL", "SSL", "KAFKA_SSL_CA_FILE", "/etc/kafka/ca.pem").clientProperties())
                .containsEntry("ssl.truststore.type", "PEM").containsEntry("ssl.truststore.location", "/etc/kafka/ca.pem");
    }

    @Test
    void saslPlaintextIsRefusedBecauseItSendsCredentialsInTheClear() {
        assertThatThrownBy(() -> security("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("KAFKA_SECURITY_PROTOCOL").hasMessageContaining("unencrypted");
    }

    @Test
    void unknownValuesAreRefusedNamingTheVariable() {
        assertThatThrownBy(() -> security("KAFKA_SECURITY_PROTOCOL", "TLS")).hasMessageContaining("KAFKA_SECURITY_PROTOCOL");
        Map<String, String> env = sasl();
        env.put("KAFKA_SASL_MECHANISM", "GSSAPI");
        assertThatThrownBy(() -> KafkaSecurity.from(new Env(env))).hasMessageContaining("KAFKA_SASL_MECHANISM");
    }

    @Test
    void saslSslWithoutCredentialsNamesTheMissingOne() {
        Map<String, String> env = sasl();
        env.remove("KAFKA_SASL_PASSWORD");
        assertThatThrownBy(() -> KafkaSecurity.from(new Env(env))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("KAFKA_SASL_PASSWORD").hasMessageContaining("SASL_SSL");
        env.put("KAFKA_SASL_PASSWORD", "x");
        env.remove("KAFKA_SASL_USERNAME");
        assertThatThrownBy(() -> KafkaSecurity.from(new Env(env))).hasMessageContaining("KAFKA_SASL_USERNAME");
    }

    @Test
    void credentialsWithoutSaslAreAMistakeNotSilentlyIgnored() {
        assertThatThrownBy(() -> security("KAFKA_SASL_USERNAME", "flagsync")).hasMessageContaining("KAFKA_SASL_USERNAME")
                .hasMessageContaining("SASL_SSL");
        assertThatThrownBy(() -> security("KAFKA_SECURITY_PROTOCOL", "SSL", "KAFKA_SASL_PASSWORD", "x"))
                .hasMessageContaining("KAFKA_SASL_PASSWORD");
        assertThatThrownBy(() -> security("KAFKA_SSL_CA_FILE", "/ca.pem")).hasMessageContaining("KAFKA_SSL_CA_FILE");
    }

    @Test
    void errorsAndToStringNeverShowThePassword() {
        WorkerConfig config = WorkerConfig.from(new Env(sasl()));
        assertThat(config.toString()).contains("SASL_SSL").doesNotContain("kafka-secret");
        Map<String, String> env = sasl();
        env.put("KAFKA_SASL_MECHANISM", "kafka-secret");
        assertThatThrownBy(() -> KafkaSecurity.from(new Env(env))).message().doesNotContain("kafka-secret");
    }

    @Test
    void debeziumOffsetStoreGetsTheSameSettings() {
        Map<String, String> env = sasl();
        env.put("WORKER_ROLES", "capture");
        WorkerConfig config = WorkerConfig.from(new Env(env));
        Properties p = CaptureProperties.from(config.database(), config.slotName(), config.heartbeatInterval(),
                config.kafka());
        assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsKey("sasl.jaas.config").containsEntry("bootstrap.servers", "b-1.msk:9096");
    }
}
