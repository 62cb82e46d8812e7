package dev.flagsync.worker.sync;

import dev.flagsync.shared.db.FlagStore;
import dev.flagsync.shared.lifecycle.Loop;
import dev.flagsync.worker.metrics.WorkerMetrics;
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

/**
 * Applies one batch of change records: sends the unreadable ones to the dead-letter topic and
 * rewarms each affected environment once. Failures are retried in place, waiting through the
 * caller's {@link Loop} (so its state says why it is backing off), resuming with what is left, so
 * the caller neither commits early nor skips a record.
 */
public final class BatchApplier {

    private final FlagStore store;
    private final Rewarmer rewarmer;
    private final DeadLetters deadLetters;
    private final WorkerMetrics metrics;

    public BatchApplier(FlagStore store, Rewarmer rewarmer, DeadLetters deadLetters, WorkerMetrics metrics) {
        this.store = store;
        this.rewarmer = rewarmer;
        this.deadLetters = deadLetters;
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
