package dev.flagsync.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servers behind bin/run-local: PostgreSQL (migrated and seeded), Redis and Kafka on fixed
 * ports. Prints a ready line, writes {@code <data-dir>/ready} for the script, and runs until
 * SIGTERM or SIGINT, when the shutdown hook closes the servers in reverse order.
 */
public final class LocalStackMain implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStackMain.class);

    private final List<AutoCloseable> started = new ArrayList<>();

    public static void main(String[] args) throws InterruptedException {
        LocalStackOptions options;
        try {
            options = LocalStackOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        LocalStackMain stack = new LocalStackMain();
        try {
            stack.start(options);
        } catch (RuntimeException e) {
            // Exiting runs the shutdown hook, which closes whatever server did start.
            LOG.error("local stack did not start: {}", e.getMessage(), e);
            System.exit(1);
        }
        // The hook closes newest first; registered last, the stack closes its servers in reverse order itself.
        ShutdownHooks.register(stack);
        new CountDownLatch(1).await(); // until a signal ends the JVM and the hook closes everything
    }

    private void start(LocalStackOptions options) {
        Ports.requireFree(options.postgresPort(), "PostgreSQL");
        Ports.requireFree(options.redisPort(), "Redis");
        Ports.requireFree(options.kafkaPort(), "Kafka");
        Ports.requireFree(options.kafkaControllerPort(), "Kafka controller");

        Postgres postgres = track(EmbeddedPostgresServer.startOn(options.postgresPort(), options.dataDir().resolve("postgres")));
        DatabaseSetup.migrate(postgres, options.migrations());
        DatabaseSetup.seed(postgres, options.seed());
        Redis redis = track(EmbeddedRedisServer.startOn(options.redisPort(), options.dataDir().resolve("redis")));
        Kafka kafka = track(EmbeddedKafkaServer.startOn(options.kafkaPort(), options.kafkaControllerPort(),
                options.dataDir().resolve("kafka")));

        String ready = "DATABASE_URL=" + postgres.jdbcUrl() + "\nREDIS_URL=" + redis.url()
                + "\nKAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers() + "\n";
        try {
            Files.writeString(options.dataDir().resolve("ready"), ready);
        } catch (IOException e) {
            throw new ServerException("could not write the ready file in " + options.dataDir(), e);
        }
        System.out.println("flagsync local stack ready: postgres " + postgres.jdbcUrl() + ", redis " + redis.url()
                + ", kafka " + kafka.bootstrapServers());
    }

    private <T extends AutoCloseable> T track(T server) {
        synchronized (started) {
            started.add(server);
        }
        return server;
    }

    @Override
    public void close() {
        List<AutoCloseable> servers;
        synchronized (started) {
            servers = new ArrayList<>(started.reversed());
            started.clear();
        }
        for (AutoCloseable server : servers) {
            try {
                server.close();
            } catch (Exception e) {
                LOG.warn("could not close {}", server, e);
            }
        }
        ShutdownHooks.unregister(this);
        LOG.info("local stack stopped");
    }
}
