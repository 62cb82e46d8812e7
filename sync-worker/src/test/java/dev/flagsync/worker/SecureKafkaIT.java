package dev.flagsync.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.flagsync.localstack.Ports;
import dev.flagsync.localstack.Postgres;
import dev.flagsync.localstack.Redis;
import dev.flagsync.localstack.Servers;
import dev.flagsync.shared.cache.RedisClients;
import dev.flagsync.shared.cache.RedisSnapshotCache;
import dev.flagsync.shared.config.Env;
import dev.flagsync.shared.config.RedisConfig;
import dev.flagsync.worker.kafka.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

/**
 * The worker against a broker whose client listener takes only SASL_SSL with SCRAM-SHA-512, as
 * MSK's port 9096 does: the topic admin, the capture's producer, Debezium's offset store and the
 * sync consumer must all authenticate, or no change reaches Redis. The broker's certificate is
 * self-signed, so the worker trusts it through KAFKA_SSL_CA_FILE and checks its host (127.0.0.1).
 */
class SecureKafkaIT {

    private static final String USER = "flagsync-worker";
    // A quote and a backslash, which the JAAS configuration must escape; the tail is looked for in the logs.
    private static final String LOGGED_IF_LEAKED = "Qz9xKvW";
    private static final String PASSWORD = "scram-\"pass\\word\"-" + LOGGED_IF_LEAKED;
    private static final String PREFIX = "secure_kafka";

    private static Path dir;
    private static SaslSslBroker kafka;
    private static Postgres postgres;
    private static Redis redis;
    private static String jdbcUrl;

    @BeforeAll
    static void startServers() throws Exception {
        dir = Files.createTempDirectory("flagsync-secure-kafka-");
        kafka = SaslSslBroker.start(dir, USER, PASSWORD);
        postgres = Servers.postgres();
        redis = Servers.redis();
        jdbcUrl = postgres.createDatabase(PREFIX);
    }

    @AfterAll
    static void stopServers() throws IOException {
        for (AutoCloseable server : new AutoCloseable[] {kafka, redis, postgres}) {
            try {
                if (server != null) {
                    server.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException("could not stop " + server, e);
            }
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static WorkerConfig config(String password) {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", jdbcUrl);
        env.put("DATABASE_USER", postgres.user());
        env.put("DATABASE_PASSWORD", postgres.password());
        env.put("REDIS_URL", redis.url());
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.secureBootstrap());
        env.put("KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        env.put("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
        env.put("KAFKA_SASL_USERNAME", USER);
        env.put("KAFKA_SASL_PASSWORD", password);
        env.put("KAFKA_SSL_CA_FILE", kafka.caFile().toString());
        env.put("TOPIC_PREFIX", PREFIX);
        env.put("CAPTURE_SLOT_NAME", PREFIX);
        env.put("SYNC_GROUP_ID", PREFIX + "-sync");
        env.put("METRICS_PORT", "0");
        env.put("CAPTURE_HEARTBEAT_INTERVAL_MS", "1000");
        // No reconciliation during the test: the change must travel capture -> Kafka -> sync.
        env.put("RECONCILE_INTERVAL_SECONDS", "86400");
        return WorkerConfig.from(new Env(env));
    }

    @Test
    void aChangeReachesRedisThroughTheSaslSslListenerAndThePasswordIsNeverLogged() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        // Debezium logs its whole configuration at INFO; the test logback config keeps it at WARN.
        Logger debezium = (Logger) LoggerFactory.getLogger("io.debezium");
        Level debeziumLevel = debezium.getLevel();
        debezium.setLevel(Level.INFO);
        logs.start();
        root.addAppender(logs);
        RedisConfig redisConfig = RedisConfig.from(new Env(Map.of("REDIS_URL", redis.url())));
        try (Worker worker = Worker.start(config(PASSWORD));
             RedisClient redisClient = RedisClients.pooled(redisConfig, Duration.ofSeconds(2), 2)) {
            RedisSnapshotCache cache = new RedisSnapshotCache(redisClient, redisConfig.snapshotTtl());
            sql("INSERT INTO feature_flags (environment, flag_key, enabled) VALUES ('secure', 'scram-flag', true)");
            // The sync's warm-up at start may have copied this first row; the update after it can
            // only travel capture -> Kafka -> sync, since reconciliation is off.
            await().atMost(Duration.ofSeconds(60)).until(() -> enabled(cache, "scram-flag"), v -> v == Boolean.TRUE);
            sql("UPDATE feature_flags SET enabled = false WHERE environment = 'secure' AND flag_key = 'scram-flag'");
            await().atMost(Duration.ofSeconds(60)).until(() -> enabled(cache, "scram-flag"), v -> v == Boolean.FALSE);
            // Debezium's offset store and the sync consumer's commits went through the same listener.
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> kafka.endOffset(Topics.captureOffsets(PREFIX)) > 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> kafka.committedOffset(PREFIX + "-sync", Topics.changes(PREFIX)) > 0);
        } finally {
            root.detachAppender(logs);
            debezium.setLevel(debeziumLevel);
        }
        List<String> leaks = new ArrayList<>();
        for (ILoggingEvent event : logs.list) {
            String text = event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            if (text.contains(LOGGED_IF_LEAKED)) {
                leaks.add(event.getLoggerName() + ": " + event.getFormattedMessage());
            }
        }
        assertThat(logs.list).as("captured log events").isNotEmpty();
        assertThat(leaks).as("log lines showing the Kafka password").isEmpty();
    }

    private static void sql(String statement) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, postgres.user(), postgres.password());
             Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    private static Boolean enabled(RedisSnapshotCache cache, String key) {
        return cache.get("secure").flatMap(encoded -> encoded.snapshot().flags().stream()
                .filter(f -> f.key().equals(key)).findFirst()).map(f -> f.enabled()).orElse(null);
    }

    @Test
    void aWrongPasswordStopsTheStartInsteadOfBeingRetried() {
        assertThatThrownBy(() -> Worker.start(config("not-the-password")).close())
                .satisfies(failure -> {
                    assertThat(Startup.isUnreachable(failure)).as("retried as unreachable: " + failure).isFalse();
                    assertThat(failure).hasRootCauseInstanceOf(SaslAuthenticationException.class);
                });
    }

    /**
     * One KRaft node: a PLAINTEXT listener for the controller, the inter-broker traffic and this
     * test's own admin calls, and a SASL_SSL listener, the only one the worker is given.
     */
    static final class SaslSslBroker implements AutoCloseable {

        private static final String STORE_PASSWORD = "changeit";

        private final KafkaRaftServer server;
        private final int securePort;
        private final Path caFile;
        private final Admin admin;

        private SaslSslBroker(KafkaRaftServer server, int internalPort, int securePort, Path caFile) {
            this.server = server;
            this.securePort = securePort;
            this.caFile = caFile;
            this.admin = Admin.create(Map.of("bootstrap.servers", "127.0.0.1:" + internalPort,
                    "request.timeout.ms", 5_000, "default.api.timeout.ms", 10_000));
        }

        static SaslSslBroker start(Path dir, String user, String password) throws Exception {
            Path keystore = dir.resolve("broker.p12");
            Path ca = dir.resolve("ca.pem");
            keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                    "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                    "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
            keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(),
                    "-storepass", STORE_PASSWORD, "-file", ca.toString());

            int internal = Ports.free();
            int secure = Ports.free();
            int controller = Ports.free();
            Path logs = Files.createDirectories(dir.resolve("logs"));
            new Formatter().setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .setClusterId(Uuid.randomUuid().toString()).setNodeId(1).setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(logs.toString()).setDirectories(List.of(logs.toString())).run();
            KafkaRaftServer server = new KafkaRaftServer(
                    KafkaConfig.fromProps(settings(internal, secure, controller, logs, keystore), false), Time.SYSTEM);
            server.startup();
            SaslSslBroker broker = new SaslSslBroker(server, internal, secure, ca);
            try {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> !broker.admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty());
                broker.admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password))).all().get(30, TimeUnit.SECONDS);
            } catch (Exception | Error e) {
                broker.close();
                throw e;
            }
            return broker;
        }

        private static Properties settings(int internal, int secure, int controller, Path logs, Path keystore) {
            Properties p = new Properties();
            p.put("process.roles", "broker,controller");
            p.put("node.id", "1");
            p.put("controller.quorum.voters", "1@127.0.0.1:" + controller);
            p.put("controller.listener.names", "CONTROLLER");
            p.put("listeners", "INTERNAL://127.0.0.1:" + internal + ",SECURE://127.0.0.1:" + secure
                    + ",CONTROLLER://127.0.0.1:" + controller);
            p.put("advertised.listeners", "INTERNAL://127.0.0.1:" + internal + ",SECURE://127.0.0.1:" + secure);
            p.put("listener.security.protocol.map", "INTERNAL:PLAINTEXT,SECURE:SASL_SSL,CONTROLLER:PLAINTEXT");
            p.put("inter.broker.listener.name", "INTERNAL");
            p.put("listener.name.secure.sasl.enabled.mechanisms", "SCRAM-SHA-512");
            p.put("listener.name.secure.scram-sha-512.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            p.put("listener.name.secure.ssl.keystore.type", "PKCS12");
            p.put("listener.name.secure.ssl.keystore.location", keystore.toString());
            p.put("listener.name.secure.ssl.keystore.password", STORE_PASSWORD);
            p.put("listener.name.secure.ssl.key.password", STORE_PASSWORD);
            p.put("log.dirs", logs.toString());
            p.put("auto.create.topics.enable", "false");
            p.put("num.partitions", "1");
            p.put("offsets.topic.replication.factor", "1");
            p.put("offsets.topic.num.partitions", "1");
            p.put("transaction.state.log.replication.factor", "1");
            p.put("transaction.state.log.min.isr", "1");
            p.put("share.coordinator.state.topic.replication.factor", "1");
            p.put("share.coordinator.state.topic.min.isr", "1");
            p.put("group.initial.rebalance.delay.ms", "0");
            return p;
        }

        private static void keytool(String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
            }
        }

        String secureBootstrap() {
            return "127.0.0.1:" + securePort;
        }

        Path caFile() {
            return caFile;
        }

        long committedOffset(String group, String topic) throws Exception {
            var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .get(new TopicPartition(topic, 0));
            return committed == null ? -1 : committed.offset();
        }

        long endOffset(String topic) throws Exception {
            TopicPartition partition = new TopicPartition(topic, 0);
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all().get(10, TimeUnit.SECONDS)
                    .get(partition).offset();
        }

        @Override
        public void close() {
            admin.close(Duration.ofSeconds(5));
            server.shutdown();
            server.awaitShutdown();
        }
    }
}
