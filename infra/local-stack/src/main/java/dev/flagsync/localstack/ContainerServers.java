package dev.flagsync.localstack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The same three servers on Testcontainers, for machines with Docker ({@code -Pcontainers}). Host
 * ports are chosen up front and bound explicitly, so Kafka can advertise them. stop()/start() are
 * docker pause/unpause: same port and data, but a paused server hangs connections instead of
 * refusing them, so clients see timeouts rather than "connection refused".
 */
public final class ContainerServers {

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private ContainerServers() {
    }

    public static Postgres postgres() {
        int port = Ports.free();
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse("postgres:15"))
                .withEnv(Map.of("POSTGRES_USER", "flagsync", "POSTGRES_PASSWORD", "flagsync", "POSTGRES_DB", "flagsync"))
                .withCommand("postgres", "-c", "wal_level=logical", "-c", "max_replication_slots=10",
                        "-c", "max_wal_senders=10", "-c", "fsync=off")
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*\\s", 2));
        return new PostgresContainer(start(container, port, 5432), port);
    }

    public static Redis redis() {
        int port = Ports.free();
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse("redis:7"))
                .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\s", 1));
        return new RedisContainer(start(container, port, 6379), port);
    }

    public static Kafka kafka() {
        int port = Ports.free();
        String host = DockerClientFactory.instance().dockerHostIpAddress();
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse("apache/kafka:4.1.0"))
                .withEnv(Map.ofEntries(
                        Map.entry("KAFKA_NODE_ID", "1"),
                        Map.entry("KAFKA_PROCESS_ROLES", "broker,controller"),
                        // Clients use the host port; the broker talks to itself on BROKER inside the container.
                        Map.entry("KAFKA_LISTENERS", "PLAINTEXT://0.0.0.0:9092,BROKER://0.0.0.0:9094,CONTROLLER://0.0.0.0:9093"),
                        Map.entry("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://" + host + ":" + port + ",BROKER://localhost:9094"),
                        Map.entry("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                        Map.entry("KAFKA_INTER_BROKER_LISTENER_NAME", "BROKER"),
                        Map.entry("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER"),
                        Map.entry("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@localhost:9093"),
                        Map.entry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1"),
                        Map.entry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1"),
                        Map.entry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1"),
                        Map.entry("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1"),
                        Map.entry("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1"),
                        Map.entry("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0"),
                        Map.entry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "true")))
                .waitingFor(Wait.forLogMessage(".*Kafka Server started.*\\s", 1));
        return new KafkaContainer(start(container, port, 9092), host + ":" + port);
    }

    private static Paused start(GenericContainer<?> container, int hostPort, int containerPort) {
        container.setPortBindings(List.of(hostPort + ":" + containerPort));
        container.start();
        Paused paused = new Paused(container);
        ShutdownHooks.register(paused);
        return paused;
    }

    /** A started container whose stop()/start() pause and unpause it; close() removes it. */
    private static class Paused implements AutoCloseable {

        private final GenericContainer<?> container;
        private boolean running = true;

        Paused(GenericContainer<?> container) {
            this.container = container;
        }

        public synchronized void stop() {
            if (running) {
                container.getDockerClient().pauseContainerCmd(container.getContainerId()).exec();
                running = false;
            }
        }

        public synchronized void start() {
            if (!running) {
                container.getDockerClient().unpauseContainerCmd(container.getContainerId()).exec();
                running = true;
            }
        }

        public synchronized boolean isRunning() {
            return running;
        }

        @Override
        public synchronized void close() {
            container.stop(); // removes the container and its data
            running = false;
            ShutdownHooks.unregister(this);
        }
    }

    private record PostgresContainer(Paused container, int port) implements Postgres {
        public String jdbcUrl() { return url("flagsync"); }
        public String user() { return "flagsync"; }
        public String password() { return "flagsync"; }
        public void stop() { container.stop(); }
        public void start() { container.start(); }
        public boolean isRunning() { return container.isRunning(); }
        public void close() { container.close(); }

        public String createDatabase(String name) {
            if (!DATABASE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("database name must match " + DATABASE_NAME + ": " + name);
            }
            // POSTGRES_USER is a superuser in the official image, so it may create databases.
            try (Connection c = DriverManager.getConnection(url("postgres"), user(), password());
                 Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name + " OWNER flagsync");
            } catch (SQLException e) {
                throw new ServerException("could not create database " + name + " on port " + port, e);
            }
            return url(name);
        }

        private String url(String database) {
            return "jdbc:postgresql://" + DockerClientFactory.instance().dockerHostIpAddress() + ":" + port + "/" + database;
        }
    }

    private record RedisContainer(Paused container, int port) implements Redis {
        public String url() { return "redis://" + DockerClientFactory.instance().dockerHostIpAddress() + ":" + port; }
        public void stop() { container.stop(); }
        public void start() { container.start(); }
        public boolean isRunning() { return container.isRunning(); }
        public void close() { container.close(); }
    }

    private record KafkaContainer(Paused container, String bootstrapServers) implements Kafka {
        public void stop() { container.stop(); }
        public void start() { container.start(); }
        public boolean isRunning() { return container.isRunning(); }
        public void close() { container.close(); }
    }
}
