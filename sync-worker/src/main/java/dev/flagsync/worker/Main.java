package dev.flagsync.worker;

import dev.flagsync.shared.config.ConfigException;
import dev.flagsync.shared.config.Env;
import dev.flagsync.shared.lifecycle.BackoffPolicy;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of flagsync-sync-worker.jar: reads the environment, starts the worker once
 * PostgreSQL and Kafka answer, stops it on SIGTERM.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        WorkerConfig config;
        try {
            config = WorkerConfig.from(Env.system());
        } catch (ConfigException e) {
            exitWithConfigError(e);
            return;
        }
        BackoffPolicy retries = BackoffPolicy.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30));
        CountDownLatch stopping = new CountDownLatch(1);
        AtomicReference<Worker> running = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("shutdown").unstarted(() -> {
            LOG.info("stopping worker");
            stopping.countDown();
            Worker worker = running.getAndSet(null);
            if (worker != null) {
                worker.close();
            }
            stopped.countDown();
        }));
        Worker worker;
        try {
            worker = Startup.untilReachable(() -> Worker.start(config), retries, stopping);
        } catch (ConfigException e) {
            // Some values are only checked as a role is built (e.g. DATABASE_URL for the capture).
            exitWithConfigError(e);
            return;
        }
        running.set(worker);
        // SIGTERM arrived while the last attempt was starting: the hook found nothing to close.
        if (stopping.getCount() == 0 && running.compareAndSet(worker, null)) {
            worker.close();
            return;
        }
        stopped.await();
    }

    private static void exitWithConfigError(ConfigException e) {
        System.err.println("flagsync-sync-worker: configuration error: " + e.getMessage());
        System.exit(2);
    }
}
