package dev.flagsync.worker.capture;

import dev.flagsync.shared.config.DatabaseConfig;
import dev.flagsync.shared.lifecycle.BackoffPolicy;
import dev.flagsync.shared.lifecycle.Loop;
import dev.flagsync.worker.kafka.Topics;
import dev.flagsync.worker.metrics.HealthCheck;
import dev.flagsync.worker.metrics.WorkerMetrics;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture role, one step of its {@link Loop}: hold the slot's advisory lock, run the Debezium
 * engine until it ends, checking every {@link #LOCK_CHECK} that the lock is still held. An engine
 * that ends by itself (PostgreSQL or Kafka down) is a failure the loop backs off from before
 * starting again from the offsets stored in Kafka, standing by first if another worker now holds
 * the lock.
 *
 * <p>Ready means streaming: until a change of the heartbeat table arrives from the WAL stream
 * (which Debezium reads only after the initial snapshot), the capture writes that row every
 * {@link #PROBE_INTERVAL} and answers not ready.
 */
public final class Capture implements AutoCloseable, KafkaForwarder.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(Capture.class);
    static final Duration LOCK_CHECK = Duration.ofSeconds(2);
    static final Duration PROBE_INTERVAL = Duration.ofMillis(250);
    private static final Duration KAFKA_ACK_PATIENCE = Duration.ofSeconds(5);
    private static final Duration ENGINE_STOP = Duration.ofSeconds(30);
    private static final Duration CLOSE_RETRY = Duration.ofMillis(50);
    private static final AtomicLong RUNS = new AtomicLong();

    private enum Phase { STARTING, STANDING_BY, CATCHING_UP, STREAMING, RESTARTING }

    private final Properties engineProperties;
    private final DatabaseConfig database;
    private final String slot;
    private final DataSource pool;
    private final WorkerMetrics metrics;
    private final Function<String, KafkaForwarder> forwarders;
    /** The running engine's forwarder; a new one per run, so nothing a stuck earlier engine holds is shared. */
    private volatile KafkaForwarder forwarder;
    private final Loop loop;
    private volatile DebeziumEngine<ChangeEvent<String, String>> engine;
    private volatile Phase phase = Phase.STARTING;
    private volatile long engineStarted;
    private volatile Runnable onStreaming = () -> { };

    /** {@code stallAfter}: how long an active capture may forward nothing while the slot holds WAL. */
    public Capture(Properties engineProperties, DatabaseConfig database, Producer<String, String> producer,
                   DataSource pool, WorkerMetrics metrics, Duration stallAfter) {
        this.engineProperties = engineProperties;
        this.database = database;
        this.slot = engineProperties.getProperty("slot.name");
        this.pool = pool;
        this.metrics = metrics;
        String prefix = engineProperties.getProperty("topic.prefix");
        // One per engine run, asking that run's queue whether more records wait behind the one it forwards.
        this.forwarders = id -> new KafkaForwarder(producer, Topics.changeTopics(prefix), Topics.heartbeatTable(prefix),
                metrics, this, () -> {
                    WakingQueue<?> queue = WakingQueue.forId(id);
                    return queue != null && queue.waiting() > 0;
                });
        this.forwarder = forwarders.apply("none yet"); // until the first run: forwards nothing, so never waits
        this.loop = Loop.named("capture-" + slot)
                .backoff(BackoffPolicy.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)))
                .stallAfter(stallAfter, this::holdsWalWithoutWaitingForKafka)
                .onStop(this::stopEngine)
                .closeTimeout(Duration.ofSeconds(30))
                .build(this::step);
    }

    /** Run (on Debezium's thread) each time an engine run begins streaming, e.g. to make the local sync catch up again. */
    public void onStreaming(Runnable action) {
        this.onStreaming = action;
    }

    public void start() {
        loop.start();
    }

    private Duration step(Loop loop) throws Exception {
        Optional<SlotLock> lock = SlotLock.acquire(database, slot, loop, this::standingBy);
        if (lock.isEmpty()) {
            return Duration.ZERO; // stopping
        }
        try (SlotLock held = lock.get()) {
            held.awaitSlotFree(loop);
            return loop.stopping() ? Duration.ZERO : runEngine(held, loop);
        }
    }

    /** Another worker holds the lock: a healthy, ready standby, not a failure. */
    private void standingBy() {
        phase = Phase.STANDING_BY;
        loop.progress();
    }

    private Duration runEngine(SlotLock lock, Loop loop) throws InterruptedException {
        AtomicReference<String> ended = new AtomicReference<>("no reason given");
        Properties properties = new Properties();
        properties.putAll(engineProperties);
        // Links this run's task to its queue (WakingQueue), even beside another run on the same slot.
        String id = slot + "-" + RUNS.incrementAndGet();
        properties.setProperty(WakingQueue.ID, id);
        // What an earlier run left unacknowledged is replayed from its offset by this one.
        KafkaForwarder forwarding = forwarders.apply(id);
        forwarder = forwarding;
        DebeziumEngine<ChangeEvent<String, String>> created = DebeziumEngine.create(Json.class)
                .using(properties)
                .notifying(forwarding)
                .using((success, message, error) -> ended.set(message + (error == null ? "" : ": " + error)))
                .build();
        engine = created;
        try {
            if (loop.stopping()) {
                return Duration.ZERO;
            }
            FutureTask<Void> run = new FutureTask<>(created, null);
            engineStarted = System.nanoTime();
            phase = Phase.CATCHING_UP;
            Thread.ofPlatform().name("capture-engine-" + slot).start(run);
            metrics.captureActive(true);
            loop.progress();
            LOG.info("capture engine started on slot {}", slot);
            boolean held = lock.holdWhile(run, () -> phase == Phase.STREAMING ? LOCK_CHECK : PROBE_INTERVAL,
                    this::probeUntilStreaming);
            if (!held) {
                LOG.warn("lost the capture lock for slot {}; stopping the engine so that only one worker reads the slot",
                        slot);
                closeEngine(created);
                SlotLock.awaitEnd(run, ENGINE_STOP);
                return SlotLock.RETRY;
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("the engine on slot " + slot + " did not stop within "
                    + ENGINE_STOP.toSeconds() + " s", e);
        } finally {
            engine = null;
            closeEngine(created);
            metrics.captureActive(false);
            phase = Phase.RESTARTING;
        }
        if (loop.stopping()) {
            return Duration.ZERO;
        }
        throw new IllegalStateException("capture engine on slot " + slot + " stopped: " + ended.get());
    }

    /**
     * Writes the heartbeat row so that a change is waiting in the slot: once the engine streams
     * (after its initial snapshot) that change arrives and {@link #forwarded} says so.
     */
    private void probeUntilStreaming() {
        if (phase == Phase.STREAMING) {
            return;
        }
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(CaptureProperties.HEARTBEAT_QUERY);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("streaming probe on slot {} failed: {}", slot, e.toString());
        }
    }

    @Override
    public void forwarded(boolean streamed) {
        loop.progress();
        if (streamed && phase == Phase.CATCHING_UP) {
            phase = Phase.STREAMING;
            LOG.info("capture of slot {} is streaming, {} ms after its engine started (initial snapshot included)",
                    slot, (System.nanoTime() - engineStarted) / 1_000_000);
            onStreaming.run();
        }
    }

    /** Work is waiting when this worker captures, the slot holds WAL, and Kafka is not the one holding things up. */
    private boolean holdsWalWithoutWaitingForKafka() {
        return metrics.captureActive() == 1 && metrics.slotLag() > 0
                && forwarder.awaitingAckNanos() < KAFKA_ACK_PATIENCE.toNanos();
    }

    private void stopEngine() {
        DebeziumEngine<ChangeEvent<String, String>> running = engine;
        if (running != null) {
            closeEngine(running);
        }
    }

    /**
     * Closes the engine. Debezium refuses a close while its tasks are starting ("Cannot stop engine
     * while tasks are starting"), which would leave it reading the slot after the lock was lost or
     * the worker closed, so that refusal is retried until the tasks have started; a refusal because
     * it is already stopping or stopped means done.
     */
    private void closeEngine(DebeziumEngine<ChangeEvent<String, String>> running) {
        long deadline = System.nanoTime() + ENGINE_STOP.toNanos();
        while (true) {
            try {
                running.close();
                return;
            } catch (IllegalStateException e) {
                if (!String.valueOf(e.getMessage()).contains("starting")) {
                    LOG.debug("capture engine on slot {}: {}", slot, e.getMessage());
                    return;
                }
                if (System.nanoTime() > deadline) {
                    LOG.warn("capture engine on slot {} still starting its tasks after {} s; not closed", slot,
                            ENGINE_STOP.toSeconds());
                    return;
                }
                try {
                    Thread.sleep(CLOSE_RETRY.toMillis()); // no callback tells when its tasks have started
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } catch (IOException e) {
                LOG.warn("closing the capture engine on slot {} failed", slot, e);
                return;
            }
        }
    }

    /** Ready while streaming or standing by; see the class comment. */
    public HealthCheck health() {
        return HealthCheck.of("capture", loop, this::notReady, this::state);
    }

    private Optional<String> notReady() {
        long waitingForKafka = forwarder.awaitingAckNanos();
        if (waitingForKafka > KAFKA_ACK_PATIENCE.toNanos()) {
            return Optional.of("waiting " + waitingForKafka / 1_000_000_000 + " s for Kafka to acknowledge changes of slot "
                    + slot);
        }
        return switch (phase) {
            case STANDING_BY, STREAMING -> Optional.empty();
            case STARTING -> Optional.of("starting: taking the capture lock for slot " + slot);
            case CATCHING_UP -> Optional.of("engine started " + (System.nanoTime() - engineStarted) / 1_000_000
                    + " ms ago: waiting for the initial snapshot to finish and streaming from slot " + slot + " to begin");
            case RESTARTING -> Optional.of("restarting the engine on slot " + slot);
        };
    }

    private Optional<String> state() {
        return Optional.of(switch (phase) {
            case STARTING -> "starting";
            case STANDING_BY -> "standing by: another worker captures slot " + slot;
            case CATCHING_UP -> "capturing slot " + slot + " (initial snapshot or catching up)";
            case STREAMING -> "capturing slot " + slot + " (streaming)";
            case RESTARTING -> "not capturing slot " + slot + " (restarting)";
        });
    }

    @Override
    public void close() {
        loop.close();
        LOG.info("capture of slot {} stopped", slot);
    }
}
