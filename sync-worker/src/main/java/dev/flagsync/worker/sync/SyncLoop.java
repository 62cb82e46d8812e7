package dev.flagsync.worker.sync;

import dev.flagsync.shared.db.FlagStore;
import dev.flagsync.worker.Backoff;
import dev.flagsync.worker.metrics.Readiness;
import dev.flagsync.worker.metrics.WorkerMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync role: polls the change topic, rewarms each affected environment once per batch,
 * and commits the batch's offsets only after every Redis write (and dead letter) succeeded.
 * A failing batch is retried in place with backoff, so nothing is skipped or committed early.
 */
public final class SyncLoop implements AutoCloseable, Readiness {

    private static final Logger LOG = LoggerFactory.getLogger(SyncLoop.class);

    private final Consumer<String, String> consumer;
    private final String topic;
    private final FlagStore store;
    private final Rewarmer rewarmer;
    private final DeadLetters deadLetters;
    private final WorkerMetrics metrics;
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    private final Thread thread;
    private static final int MAX_BATCH = 10_000;

    private final Duration coalesceWindow;
    private volatile String problem = "starting";
    private long lastApplied = System.nanoTime() - Duration.ofHours(1).toNanos();

    public SyncLoop(Consumer<String, String> consumer, String topic, FlagStore store, Rewarmer rewarmer,
                    DeadLetters deadLetters, WorkerMetrics metrics, Duration coalesceWindow) {
        this.coalesceWindow = coalesceWindow;
        this.consumer = consumer;
        this.topic = topic;
        this.store = store;
        this.rewarmer = rewarmer;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
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
                if (!records.isEmpty() && applyUntilDone(records)) {
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

    /** Returns false only when closing interrupted the retries; the batch is then left uncommitted. */
    private boolean applyUntilDone(List<ConsumerRecord<String, String>> records) {
        Map<ConsumerRecord<String, String>, String> letters = new LinkedHashMap<>();
        Batch batch = new Batch();
        for (ConsumerRecord<String, String> record : records) {
            try {
                ChangeEvents.affectedEnvironments(record.value()).ifPresent(batch::add);
            } catch (InvalidChangeException e) {
                letters.put(record, e.getMessage());
            }
        }
        metrics.eventsConsumed(records.size());
        Set<String> pending = null;
        Map<String, Long> rewarmedAt = new HashMap<>();
        while (true) {
            try {
                sendDeadLetters(letters);
                if (pending == null) {
                    pending = batch.targets(batch.allEnvironments() ? store.versions().keySet() : Set.of());
                }
                for (String environment : new ArrayList<>(pending)) {
                    rewarmer.rewarm(environment, false);
                    rewarmedAt.put(environment, System.currentTimeMillis());
                    pending.remove(environment);
                }
                break;
            } catch (RuntimeException | ExecutionException e) {
                metrics.rewarmFailed();
                problem = "cannot apply changes: " + e.getClass().getSimpleName();
                LOG.warn("applying {} change events failed ({} environments left); retrying in {}: {}", records.size(),
                        pending == null ? "all" : pending.size(), backoff.nextDelay(), e.toString());
                if (!backoff.pause()) {
                    return false;
                }
            }
        }
        backoff.reset();
        for (long[] delay : batch.delays(rewarmedAt, System.currentTimeMillis())) {
            metrics.propagated(delay[0], delay[1]);
        }
        return true;
    }

    /** Sends, waits for, and forgets each dead letter; on failure the unsent ones stay for the retry. */
    private void sendDeadLetters(Map<ConsumerRecord<String, String>, String> letters) throws ExecutionException {
        Map<ConsumerRecord<String, String>, Future<RecordMetadata>> sent = new LinkedHashMap<>();
        letters.forEach((record, reason) -> sent.put(record, deadLetters.send(record, reason)));
        for (var letter : sent.entrySet()) {
            try {
                letter.getValue().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            }
            letters.remove(letter.getKey());
            metrics.deadLettered();
        }
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
