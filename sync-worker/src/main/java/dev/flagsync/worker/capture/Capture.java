package dev.flagsync.worker.capture;

import dev.flagsync.shared.config.DatabaseConfig;
import dev.flagsync.worker.Backoff;
import dev.flagsync.worker.metrics.Readiness;
import dev.flagsync.worker.metrics.WorkerMetrics;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture role: holds the slot's advisory lock, then runs the Debezium engine until closed,
 * checking every {@link #LOCK_CHECK} that the lock is still held. Whatever stops the engine
 * (PostgreSQL or Kafka down, lock lost), the loop logs it, backs off and starts again from the
 * offsets stored in Kafka, standing by first if another worker now holds the lock.
 */
public final class Capture implements AutoCloseable, Readiness {

    private static final Logger LOG = LoggerFactory.getLogger(Capture.class);
    private static final Duration HEALTHY_RUN = Duration.ofMinutes(1);
    static final Duration LOCK_CHECK = Duration.ofSeconds(2);

    private final Properties engineProperties;
    private final DatabaseConfig database;
    private final String slot;
    private final DebeziumEngine.ChangeConsumer<ChangeEvent<String, String>> forwarder;
    private final WorkerMetrics metrics;
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    private final Thread thread;
    private volatile DebeziumEngine<ChangeEvent<String, String>> engine;
    private volatile String problem = "starting";
    private volatile String state = "starting";

    public Capture(Properties engineProperties, DatabaseConfig database, String slot,
            DebeziumEngine.ChangeConsumer<ChangeEvent<String, String>> forwarder, WorkerMetrics metrics) {
        this.engineProperties = engineProperties;
        this.database = database;
        this.slot = slot;
        this.forwarder = forwarder;
        this.metrics = metrics;
        this.thread = Thread.ofPlatform().name("capture-" + slot).unstarted(this::loop);
    }

    public void start() {
        thread.start();
    }

    private void loop() {
        while (!backoff.isCancelled()) {
            try {
                Optional<SlotLock> lock = SlotLock.acquire(database, slot, backoff, this::standingBy);
                if (lock.isEmpty()) {
                    break;
                }
                try (SlotLock held = lock.get()) {
                    held.awaitSlotFree(backoff);
                    runEngine(held);
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

    /** Another worker holds the lock: a healthy, ready standby, not a failure. */
    private void standingBy() {
        problem = null;
        state = "standing by: another worker captures slot " + slot;
    }

    private void runEngine(SlotLock lock) throws IOException, InterruptedException, TimeoutException {
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
            FutureTask<Void> run = new FutureTask<>(created, null);
            Thread.ofPlatform().name("capture-engine-" + slot).start(run);
            problem = null;
            state = "capturing slot " + slot;
            metrics.captureActive(true);
            LOG.info("capture engine started on slot {}", slot);
            if (!lock.holdWhile(run, LOCK_CHECK)) {
                LOG.warn("lost the capture lock for slot {}; stopping the engine so that only one worker reads the slot",
                        slot);
                created.close();
                SlotLock.awaitEnd(run, Duration.ofSeconds(30));
            }
        } finally {
            engine = null;
            metrics.captureActive(false);
            state = "not capturing slot " + slot + " (restarting)";
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
        LOG.warn("capture engine on slot {} stopped (success={}): {}", slot, success, message, error);
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
    public Optional<String> state() {
        return Optional.of(state);
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
