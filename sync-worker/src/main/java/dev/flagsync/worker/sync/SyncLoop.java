package dev.flagsync.worker.sync;

import dev.flagsync.shared.db.FlagStore;
import dev.flagsync.worker.Backoff;
import dev.flagsync.worker.metrics.Readiness;
import dev.flagsync.worker.metrics.WorkerMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync role: polls the change topic, coalescing bursts into batches, has each batch applied
 * ({@link BatchApplier}: retried in place until it succeeded), and only then commits its offsets,
 * so nothing is skipped or committed early.
 */
public final class SyncLoop implements AutoCloseable, Readiness {

    private static final Logger LOG = LoggerFactory.getLogger(SyncLoop.class);
    private static final int MAX_BATCH = 10_000;

    private final Consumer<String, String> consumer;
    private final String topic;
    private final WorkerMetrics metrics;
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    private final BatchApplier applier;
    private final Thread thread;
    private final Duration coalesceWindow;
    private volatile String problem = "starting";
    private long lastApplied = System.nanoTime() - Duration.ofHours(1).toNanos();

    public SyncLoop(Consumer<String, String> consumer, String topic, FlagStore store, Rewarmer rewarmer,
                    DeadLetters deadLetters, WorkerMetrics metrics, Duration coalesceWindow) {
        this.consumer = consumer;
        this.topic = topic;
        this.metrics = metrics;
        this.coalesceWindow = coalesceWindow;
        this.applier = new BatchApplier(store, rewarmer, deadLetters, metrics, backoff, reason -> problem = reason);
        this.thread = Thread.ofPlatform().name("sync").unstarted(this::loop);
    }

    public void start() {
        thread.start();
    }

    private void loop() {
        try {
            consumer.subscribe(List.of(topic));
            while (!backoff.isCancelled()) {
                List<ConsumerRecord<String, String>> records = nextBatch();
                if (!records.isEmpty() && applier.applyUntilDone(records)) {
                    lastApplied = System.nanoTime();
                    commit();
                }
            }
        } catch (WakeupException | InterruptException e) {
            LOG.debug("sync loop woken up to stop");
        } catch (RuntimeException e) {
            problem = "sync loop died: " + e.getClass().getSimpleName();
            LOG.error("sync loop on {} died", topic, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * The next records to apply. A lone change is applied at once; when a poll brings several
     * (a backlog built up during the last rewarm: a burst), the batch keeps filling until
     * {@code coalesceWindow} has passed since the last rewarm, so a burst of N writes to one
     * environment costs about (burst length / window) rewarms, not N.
     */
    private List<ConsumerRecord<String, String>> nextBatch() {
        List<ConsumerRecord<String, String>> batch = new ArrayList<>();
        consumer.poll(Duration.ofMillis(200)).forEach(batch::add);
        problem = null;
        long until = lastApplied + coalesceWindow.toNanos();
        while (batch.size() > 1 && batch.size() < MAX_BATCH && System.nanoTime() < until) {
            consumer.poll(Duration.ofNanos(Math.max(0, until - System.nanoTime()))).forEach(batch::add);
        }
        recordLag();
        return batch;
    }

    private void commit() {
        try {
            consumer.commitSync();
        } catch (CommitFailedException e) {
            // The group rebalanced while we retried: the new owner replays these records.
            LOG.warn("could not commit offsets on {} after a rebalance; records will be replayed: {}", topic, e.getMessage());
        }
    }

    private void recordLag() {
        long lag = 0;
        for (var partition : consumer.assignment()) {
            lag += consumer.currentLag(partition).orElse(0);
        }
        metrics.consumerLag(lag);
    }

    @Override
    public String name() {
        return "sync";
    }

    @Override
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    @Override
    public void close() throws InterruptedException {
        backoff.cancel();
        consumer.wakeup();
        thread.join(Duration.ofSeconds(15));
    }
}
