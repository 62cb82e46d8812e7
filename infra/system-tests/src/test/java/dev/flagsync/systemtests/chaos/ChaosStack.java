package dev.flagsync.systemtests.chaos;

import dev.flagsync.localstack.ChildJvm;
import dev.flagsync.localstack.EmbeddedKafkaServer;
import dev.flagsync.localstack.EmbeddedPostgresServer;
import dev.flagsync.localstack.EmbeddedRedisServer;
import dev.flagsync.localstack.Ports;
import dev.flagsync.localstack.RunFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole stack of one chaos run, on loopback: embedded PostgreSQL, Redis and Kafka on ports
 * below the ephemeral range (each restarts on its own port), the sync worker and the API as child
 * JVMs of the real jars, and the data in a run folder that {@link #close()} deletes. Everything is
 * tracked as it starts, so a close from the shutdown hook (Ctrl-C) during the start stops what did.
 */
final class ChaosStack implements AutoCloseable {

    /** The worker's default TOPIC_PREFIX gives these names (contract section 3). */
    static final String CHANGE_TOPIC = "flagsync.public.feature_flags";
    static final String DEAD_LETTER_TOPIC = CHANGE_TOPIC + ".dlq";
    static final int PARTITIONS = 4;
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    private static final Logger LOG = LoggerFactory.getLogger(ChaosStack.class);

    private final Path root = Path.of("").toAbsolutePath();
    private final Path logs;
    private final List<AutoCloseable> open = new ArrayList<>();
    private boolean closing;
    private RunFolder folder;
    private EmbeddedPostgresServer postgres;
    private EmbeddedRedisServer redis;
    private EmbeddedKafkaServer kafka;
    private int httpPort;
    private int workerPort;
    private int secondWorkerPort;
    private volatile ChildJvm worker;
    private volatile ChildJvm secondWorker;
    private int workerStarts;

    ChaosStack(Path logs) {
        this.logs = logs;
    }

    /** The servers, migrated, with {@code seed} applied before the apps start, so the capture snapshots it. */
    void startServers(Runnable seed) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        RunFolder.sweep(tmp);
        folder = track(RunFolder.create(tmp, "chaos"));
        LOG.info("data in {}, logs in {}", folder.dir(), logs);
        postgres = track(EmbeddedPostgresServer.startOn(Ports.freeBelowEphemeral(), folder.dir().resolve("postgres")));
        recordPostgres();
        redis = track(EmbeddedRedisServer.startOn(Ports.freeBelowEphemeral(), folder.dir().resolve("redis")));
        folder.record("redis", ProcessHandle.of(redis.pid()).orElseThrow());
        kafka = track(EmbeddedKafkaServer.startOn(Ports.freeBelowEphemeral(), Ports.freeBelowEphemeral(),
                folder.dir().resolve("kafka")));
        httpPort = Ports.freeBelowEphemeral();
        workerPort = Ports.freeBelowEphemeral();
        secondWorkerPort = Ports.freeBelowEphemeral();
        seed.run();
    }

    /** The worker, then the API; returns once both say they are ready. */
    void startApps() {
        startWorker();
        ChildJvm api = startJvm("api", apiJar(), apiEnv());
        awaitReady(api, httpPort);
        awaitReady(worker, workerPort);
    }

    EmbeddedPostgresServer postgres() {
        return postgres;
    }

    EmbeddedRedisServer redis() {
        return redis;
    }

    EmbeddedKafkaServer kafka() {
        return kafka;
    }

    URI api(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    URI worker(String path) {
        return URI.create("http://127.0.0.1:" + workerPort + path);
    }

    /** Empty when both processes say they are ready (as an orchestrator would ask); else what one of them answered. */
    Optional<String> notReady() {
        for (URI uri : List.of(api("/health/ready"), worker("/health/ready"))) {
            Optional<HttpResponse<String>> answer = Http.get(uri);
            if (answer.isEmpty() || answer.get().statusCode() != 200) {
                return Optional.of(uri + " answered " + answer.map(r -> r.statusCode() + " " + r.body()).orElse("nothing"));
            }
        }
        return Optional.empty();
    }

    /** A worker with both roles, as bin/run-local starts it; does not wait for it. */
    void startWorker() {
        worker = startJvm("worker-" + ++workerStarts, workerJar(), workerEnv("capture,sync", workerPort));
    }

    /** kill -9 of the worker: no shutdown hook, no offset commit, no goodbye to the consumer group. */
    void killWorker() {
        worker.kill();
    }

    /** A second worker with only the sync role joins the consumer group; returns once it is ready. */
    void startSecondWorker() {
        secondWorker = startJvm("worker-sync-only", workerJar(), workerEnv("sync", secondWorkerPort));
        awaitReady(secondWorker, secondWorkerPort);
    }

    /** SIGTERM: the second worker commits and leaves the group, which hands its partitions back. */
    void stopSecondWorker() {
        secondWorker.close();
    }

    void startRedis() {
        redis.start();
        folder.record("redis", ProcessHandle.of(redis.pid()).orElseThrow());
    }

    void startPostgres() {
        postgres.start();
        recordPostgres();
    }

    private void recordPostgres() {
        folder.recordPidFile("postgres", folder.dir().resolve("postgres/postmaster.pid"));
    }

    private ChildJvm startJvm(String name, Path jar, Map<String, String> env) {
        List<String> args = new ArrayList<>(List.of("-Xmx384m", "-Djava.io.tmpdir=" + folder.dir()));
        if (Runtime.version().feature() >= 24) {
            args.add("--sun-misc-unsafe-memory-access=allow"); // Kafka's clients still use it; only a warning
        }
        args.addAll(List.of("-jar", jar.toString()));
        ChildJvm child = track(ChildJvm.start(args, env, logs.resolve(name + ".log")));
        ProcessHandle.of(child.pid()).ifPresent(process -> folder.record(name, process));
        LOG.info("started {}", child);
        return child;
    }

    private void awaitReady(ChildJvm child, int port) {
        child.awaitHttpOk(port, "/health/ready", READY_TIMEOUT);
    }

    private Map<String, String> workerEnv(String roles, int metricsPort) {
        Map<String, String> env = stores();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("WORKER_ROLES", roles);
        env.put("CHANGE_TOPIC_PARTITIONS", Integer.toString(PARTITIONS));
        // Off, so that only the change path (and each start's warm) brings changes to Redis: the
        // periodic reconciliation would repair a lost change within a minute and hide it.
        env.put("RECONCILE_INTERVAL_SECONDS", "3600");
        env.put("METRICS_HOST", "127.0.0.1");
        env.put("METRICS_PORT", Integer.toString(metricsPort));
        return env;
    }

    private Map<String, String> apiEnv() {
        Map<String, String> env = stores();
        env.put("HTTP_HOST", "127.0.0.1");
        env.put("HTTP_PORT", Integer.toString(httpPort));
        // Every reader and stream of the run comes from 127.0.0.1, one client address, whose anonymous
        // budget (200/s by default) the load exceeds on purpose: limits off, so a 429 is never counted
        // as a failed read (the rate limiter has its own ITs in the api module).
        env.put("RATE_LIMIT_ANONYMOUS_PER_SECOND", "0");
        try {
            env.put("SNAPSHOT_BACKUP_DIR", Files.createDirectories(folder.dir().resolve("snapshots")).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return env;
    }

    private Map<String, String> stores() {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", postgres.jdbcUrl());
        env.put("DATABASE_USER", postgres.user());
        env.put("DATABASE_PASSWORD", postgres.password());
        env.put("REDIS_URL", redis.url());
        return env;
    }

    private Path apiJar() {
        return jar("api/target/flagsync-api.jar");
    }

    private Path workerJar() {
        return jar("sync-worker/target/flagsync-sync-worker.jar");
    }

    private Path jar(String path) {
        Path jar = root.resolve(path);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: bin/chaos builds it (./mvnw package -pl infra/system-tests -am)");
        }
        return jar;
    }

    /** Keeps what started for close(); once closing, closes it at once instead, so nothing outlives the run. */
    private <T extends AutoCloseable> T track(T resource) {
        synchronized (open) {
            if (!closing) {
                open.add(resource);
                return resource;
            }
        }
        closeQuietly(resource);
        throw new IllegalStateException("stopping: " + resource + " started too late");
    }

    boolean isClosed() {
        synchronized (open) {
            return closing;
        }
    }

    /** The apps (SIGTERM), then the servers, then the run folder; safe to call twice and from the shutdown hook. */
    @Override
    public void close() {
        List<AutoCloseable> resources;
        synchronized (open) {
            closing = true;
            resources = new ArrayList<>(open.reversed());
            open.clear();
        }
        resources.forEach(ChaosStack::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warn("could not close {}", resource, e);
        }
    }
}
