package dev.flagsync.localstack;

import dev.flagsync.localstack.LocalStackOptions.PortSetting;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * bin/run-local: PostgreSQL (migrated and seeded), Redis and Kafka, then the worker and the API
 * as child JVMs. It prints the banner only once both say they are ready and a change has been
 * seen to reach the API, and runs until SIGINT or SIGTERM, or until a child dies; then its one
 * shutdown hook closes everything in reverse order and deletes the data.
 */
public final class LocalStackMain implements AutoCloseable {

    static final String ADMIN_TOKEN = "flagsync-dev-admin-token"; // ADMIN_TOKENS entries need 16+ characters
    private static final Duration APPS_READY_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(90);
    private static final Logger LOG = LoggerFactory.getLogger(LocalStackMain.class);

    private final LocalStackOptions options;
    private final Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    private final List<AutoCloseable> started = new ArrayList<>();
    private final CompletableFuture<String> childDied = new CompletableFuture<>();
    private boolean closing;

    private LocalStackMain(LocalStackOptions options) {
        this.options = options;
    }

    public static void main(String[] args) {
        LocalStackOptions options;
        try {
            options = LocalStackOptions.parse(List.of(args), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("run-local: " + e.getMessage());
            System.exit(2);
            return;
        }
        LocalStackMain stack = new LocalStackMain(options);
        ShutdownHooks.register(stack);
        try {
            stack.start();
        } catch (RuntimeException e) {
            if (!stack.isClosing()) { // else Ctrl-C during the start, whose closing made this step fail
                System.err.println("run-local: did not start: " + messages(e));
                LOG.debug("start failure", e);
            }
            System.exit(1); // runs the shutdown hook, which closes whatever did start
        }
        String death = stack.childDied.join(); // never completes in services mode: until a signal ends the JVM
        System.err.println("run-local: " + death + "; stopping everything");
        System.exit(1);
    }

    private void start() {
        RunFolder.sweep(tmp);
        for (PortSetting setting : options.ports()) {
            Ports.requireFree(setting.port(), setting.usedFor(), setting.variable());
        }
        RunFolder folder = track(RunFolder.create(tmp));
        LOG.info("starting PostgreSQL :{}, Redis :{}, Kafka :{} (data in {})", options.postgres().port(),
                options.redis().port(), options.kafka().port(), folder.dir());
        Postgres postgres = track(EmbeddedPostgresServer.startOn(options.postgres().port(), folder.dir().resolve("postgres")));
        folder.recordPidFile("postgres", folder.dir().resolve("postgres/postmaster.pid"));
        DatabaseSetup.migrate(postgres, options.migrations());
        DatabaseSetup.seed(postgres, options.seed());
        DatabaseSetup.DemoTokens tokens = DatabaseSetup.demoTokens(postgres);
        Redis redis = track(EmbeddedRedisServer.startOn(options.redis().port(), folder.dir().resolve("redis")));
        folder.recordPidFile("redis", folder.dir().resolve("redis/redis.pid"));
        Kafka kafka = track(EmbeddedKafkaServer.startOn(options.kafka().port(), options.kafkaController().port(),
                folder.dir().resolve("kafka")));
        Banner banner = new Banner(options, postgres, redis, kafka, tokens);
        if (options.servicesOnly()) {
            System.out.print(banner.services(sinceStart()));
            return;
        }
        Apps apps = new Apps(options, tmp, postgres, redis, kafka, folder.dir());
        ChildJvm worker = startApp(apps.worker(), folder); // first: its capture takes longest to be ready
        ChildJvm api = startApp(apps.api(), folder);
        api.awaitHttpOk(options.http().port(), "/health/ready", APPS_READY_TIMEOUT);
        LOG.info("the API is ready after {}", seconds(sinceStart()));
        worker.awaitHttpOk(options.workerMetrics().port(), "/health/ready", APPS_READY_TIMEOUT);
        LOG.info("the worker is ready after {}", seconds(sinceStart()));
        Duration change = new ChangeProbe(postgres, options.http().port()).run(CHANGE_TIMEOUT);
        if (change.toMillis() > 1_000) {
            LOG.warn("changes take {} ms to reach the API, not tens of milliseconds: is the machine very busy?",
                    change.toMillis());
        }
        System.out.print(banner.running(sinceStart(), change));
    }

    private ChildJvm startApp(Apps.Launch app, RunFolder folder) {
        ChildJvm child = track(ChildJvm.startForwarding(app.name(), app.args(), app.env(), System.out));
        ProcessHandle.of(child.pid()).ifPresent(process -> folder.record(app.name(), process));
        child.onExit().thenAccept(status -> {
            if (!isClosing()) {
                childDied.complete("the " + app.name() + " exited with status " + status);
            }
        });
        return child;
    }

    /** Keeps what started for close(); once closing, closes it at once instead, so nothing outlives the stack. */
    private <T extends AutoCloseable> T track(T resource) {
        synchronized (started) {
            if (!closing) {
                started.add(resource);
                ShutdownHooks.register(this); // stays above the servers, which register themselves: closed first
                return resource;
            }
        }
        closeQuietly(resource);
        throw new ServerException("stopping: " + resource + " started too late");
    }

    private boolean isClosing() {
        synchronized (started) {
            return closing;
        }
    }

    @Override
    public void close() {
        List<AutoCloseable> open;
        synchronized (started) {
            if (!closing && !started.isEmpty()) {
                LOG.info("stopping...");
            }
            closing = true;
            open = new ArrayList<>(started.reversed());
            started.clear();
        }
        open.forEach(LocalStackMain::closeQuietly);
        ShutdownHooks.unregister(this);
        if (!open.isEmpty()) {
            LOG.info("stopped; deleted the data");
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            LOG.debug("closing {}", resource);
            resource.close();
        } catch (Exception e) {
            LOG.warn("could not close {}", resource, e);
        }
    }

    /** Since this JVM started: bin/run-local execs it, so a build before it does not count. */
    private static Duration sinceStart() {
        return Duration.between(Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()), Instant.now());
    }

    static String seconds(Duration duration) {
        return String.format("%.1f s", duration.toMillis() / 1000.0);
    }

    private static String messages(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(": ").append(cause.getMessage());
            }
        }
        return text.toString();
    }
}
