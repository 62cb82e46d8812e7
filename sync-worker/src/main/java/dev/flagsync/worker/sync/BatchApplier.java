package dev.flagsync.worker.sync;

import dev.flagsync.shared.db.FlagStore;
import dev.flagsync.shared.lifecycle.Loop;
import dev.flagsync.worker.metrics.WorkerMetrics;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one batch of change records: sends the unreadable ones to the dead-letter topic and
 * rewarms each affected environment once. Failures are retried in place, waiting through the
 * caller's {@link Loop} (so its state says why it is backing off), resuming with what is left, so
 * the caller neither commits early nor skips a record.
 *
 * <p>A rewarm reads the environment only once the changes' transactions are visible: PostgreSQL
 * hands a commit to logical decoding when its WAL is flushed, a moment before other sessions see
 * it, and a change can travel capture, Kafka and sync within that moment (on a busy machine, say).
 * A read then would store the version before the change, and nothing would correct Redis until
 * the reconciler runs.
 */
public final class BatchApplier {

    private static final Logger LOG = LoggerFactory.getLogger(BatchApplier.class);
    private static final Duration VISIBILITY_POLL = Duration.ofMillis(2);
    /**
     * Normally the first look finds them visible, or the second a few milliseconds later; a
     * commit held longer (waiting for a synchronous standby) holds the batch up to this, then it
     * is rewarmed anyway, so the other environments are not held up further.
     */
    static final Duration VISIBILITY_PATIENCE = Duration.ofSeconds(30);

    private final FlagStore store;
    private final Rewarmer rewarmer;
    private final DeadLetters deadLetters;
    private final CommitVisibility visibility;
    private final WorkerMetrics metrics;

    public BatchApplier(FlagStore store, Rewarmer rewarmer, DeadLetters deadLetters, CommitVisibility visibility,
                        WorkerMetrics metrics) {
        this.store = store;
        this.rewarmer = rewarmer;
        this.deadLetters = deadLetters;
        this.visibility = visibility;
        this.metrics = metrics;
    }

    /** Returns false only when the loop stopped during the retries; the batch must then be left uncommitted. */
    boolean applyUntilDone(List<ConsumerRecord<String, String>> records, Loop loop) {
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
        boolean visible = batch.transactionIds().isEmpty();
        while (true) {
            try {
                sendDeadLetters(letters);
                if (!visible) {
                    if (!awaitVisible(batch.transactionIds(), loop)) {
                        return false;
                    }
                    visible = true;
                }
                if (pending == null) {
                    pending = batch.targets(batch.allEnvironments() ? store.versions().keySet() : Set.of());
                }
                for (String environment : new ArrayList<>(pending)) {
                    rewarmer.rewarm(environment, false);
                    rewarmedAt.put(environment, System.currentTimeMillis());
                    pending.remove(environment);
                }
                break;
            } catch (RuntimeException | ExecutionException | SQLException e) {
                metrics.rewarmFailed();
                String left = pending == null ? "all" : Integer.toString(pending.size());
                if (!loop.backOff(new IllegalStateException("cannot apply " + records.size() + " change events ("
                        + left + " environments left): " + e, e))) {
                    return false;
                }
            }
        }
        for (long[] delay : batch.delays(rewarmedAt, System.currentTimeMillis())) {
            metrics.propagated(delay[0], delay[1]);
        }
        return true;
    }

    /** Waits until the transactions are visible, or {@link #VISIBILITY_PATIENCE} passed; false when the loop stopped. */
    private boolean awaitVisible(Set<Long> transactions, Loop loop) throws SQLException {
        long started = System.nanoTime();
        if (visibility.visible(transactions)) {
            return true;
        }
        metrics.visibilityWaited();
        do {
            if (System.nanoTime() - started > VISIBILITY_PATIENCE.toNanos()) {
                LOG.warn("transactions {} still not visible after {} s; rewarming anyway (the reconciler corrects what it misses)",
                        transactions, VISIBILITY_PATIENCE.toSeconds());
                return true;
            }
            if (!loop.pause(VISIBILITY_POLL)) {
                return false;
            }
        } while (!visibility.visible(transactions));
        LOG.info("waited {} ms for transactions {} to become visible before rewarming", (System.nanoTime() - started) / 1_000_000,
                transactions);
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
}
