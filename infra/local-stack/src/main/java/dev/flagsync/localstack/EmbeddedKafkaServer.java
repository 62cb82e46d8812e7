package dev.flagsync.localstack;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * Kafka 4 in this JVM: one KRaft node that is broker and controller. stop() shuts the node down and
 * start() builds a new one on the same ports and log folder, so topics and records survive.
 */
public final class EmbeddedKafkaServer extends EmbeddedServer implements Kafka {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaConfig config;
    private KafkaRaftServer server;

    private EmbeddedKafkaServer(int port, int controllerPort, Path dataDir) {
        super("Kafka", port, dataDir);
        this.config = KafkaConfig.fromProps(KafkaSettings.forNode(port, controllerPort, logDir()), false);
    }

    /** Starts a node on free ports with its logs in a new temp folder. */
    public static EmbeddedKafkaServer startOnFreePort() {
        return startOn(Ports.free(), Ports.free(), Directories.createTemp("flagsync-kafka-"));
    }

    /** Starts a node with clients on port and the KRaft controller on controllerPort, logs in dataDir (deleted on close). */
    public static EmbeddedKafkaServer startOn(int port, int controllerPort, Path dataDir) {
        return started(new EmbeddedKafkaServer(port, controllerPort, dataDir));
    }

    @Override
    protected void launch() {
        if (!Files.exists(logDir().resolve("meta.properties"))) {
            format(logDir());
        }
        server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
            awaitUsable();
        } catch (RuntimeException e) {
            throw abandonLaunch(new ServerException(this + " did not start", e));
        }
    }

    @Override
    protected void shutdown() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            server = null;
        }
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    private Path logDir() {
        return dataDir.resolve("logs");
    }

    /** What kafka-storage.sh format does: writes meta.properties and the bootstrap metadata. */
    private void format(Path logDir) {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(KafkaSettings.NODE_ID)
                    .setControllerListenerName(KafkaSettings.CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(logDir.toString())
                    .setDirectories(List.of(logDir.toString()))
                    .run();
        } catch (Exception e) {
            throw new ServerException("could not format Kafka log folder " + logDir, e);
        }
    }

    /** Started is not usable: wait until the broker is registered and answers metadata requests. */
    private void awaitUsable() {
        Map<String, Object> settings = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
        try (Admin admin = Admin.create(settings)) {
            Poll.until(toString(), STARTUP_TIMEOUT, () -> {
                try {
                    boolean registered = !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
                    return registered && admin.listTopics().names().get(2, TimeUnit.SECONDS) != null;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                } catch (Exception e) {
                    return false; // not yet: the broker is still registering with its controller
                }
            });
        }
    }
}
