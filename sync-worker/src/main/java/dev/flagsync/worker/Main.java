package dev.flagsync.worker;

import dev.flagsync.shared.config.ConfigException;
import dev.flagsync.shared.config.Env;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of flagsync-sync-worker.jar: reads the environment, starts the worker, stops it on SIGTERM. */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        WorkerConfig config;
        try {
            config = WorkerConfig.from(Env.system());
        } catch (ConfigException e) {
            System.err.println("flagsync-sync-worker: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Worker worker = Worker.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("shutdown").unstarted(() -> {
            LOG.info("stopping worker");
            worker.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
