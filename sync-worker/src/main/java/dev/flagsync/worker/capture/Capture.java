package dev.flagsync.worker.capture;

import dev.flagsync.shared.config.DatabaseConfig;
import dev.flagsync.worker.Backoff;
import dev.flagsync.worker.metrics.Readiness;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture role: holds the slot's advisory lock, then runs the Debezium engine on its own
 * thread until closed. Whatever stops the engine (PostgreSQL or Kafka down, slot busy), the
 * loop logs it, backs off and starts again from the offsets stored in Kafka.
 */
public final class Capture implements AutoCloseable, Readiness {

    private static final Logger LOG = LoggerFactory.getLogger(Capture.class);
    private static final Duration HEALTHY_RUN = Duration.ofMinutes(1);

    private final Properties engineProperties;
    private final DatabaseConfig database;
    private final String slot;
    private final DebeziumEngine.ChangeConsumer<ChangeEvent<String, String>> forwarder;
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    private final Thread thread;
    private volatile DebeziumEngine<ChangeEvent<String, String>> engine;
    private volatile String problem = "starting";

    public Capture(Properties engineProperties, DatabaseConfig database, String slot,
            DebeziumEngine.ChangeConsumer<ChangeEvent<String, String>> forwarder) {
        this.engineProperties = engineProperties;
        this.database = database;
        this.slot = slot;
        this.forwarder = forwarder;
        this.thread = Thread.ofPlatform().name("capture-" + slot).unstarted(this::loop);
    }

    public void start() {
        thread.start();
    }

    private void loop() {
        while (!backoff.isCancelled()) {
            try {
                Optional<SlotLock> lock = SlotLock.acquire(database, slot, backoff);
                if (lock.isEmpty()) {
                    break;
                }
                try (SlotLock held = lock.get()) {
                    runEngine();
                }
            } catch (Exception e) {
                if (backoff.isCancelled()) {
                    LOG.debug("capture of slot {} interrupted by close: {}", slot, e.toString());
                    break;
                }
                problem = "capture failed: " + e.getClass().getSimpleName();
                LOG.warn("capture of slot {} failed; retrying in {}", slot, backoff.nextDelay(), e);
            }
            if (!backoff.isCancelled() && !backoff.pause()) {
                break;
            }
        }
        LOG.info("capture of slot {} stopped", slot);
    }

    private void runEngine() throws IOException {
        long started = System.nanoTime();
        DebeziumEngine<ChangeEvent<String, String>> created = DebeziumEngine.create(Json.class)
                .using(engineProperties)
                .notifying(forwarder)
                .using((success, message, error) -> onCompletion(success, message, error))
                .build();
        engine = created;
        try (created) {
            if (backoff.isCancelled()) {
                return;
            }
            problem = null;
            LOG.info("capture engine started on slot {}", slot);
            created.run();
        } finally {
            engine = null;
            if (Duration.ofNanos(System.nanoTime() - started).compareTo(HEALTHY_RUN) > 0) {
                backoff.reset();
            }
        }
    }

    private void onCompletion(boolean success, String message, Throwable error) {
        if (backoff.isCancelled()) {
            return;
        }
        problem = "capture engine stopped: " + message;
        if (error != null) {
            LOG.warn("capture engine on slot {} stopped: {}", slot, message, error);
        } else {
            LOG.warn("capture engine on slot {} stopped (success={}): {}", slot, success, message);
        }
    }

    @Override
    public String name() {
        return "capture";
    }

    @Override
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        backoff.cancel();
        DebeziumEngine<ChangeEvent<String, String>> running = engine;
        if (running != null) {
            running.close();
        }
        thread.join(Duration.ofSeconds(30));
    }
}
