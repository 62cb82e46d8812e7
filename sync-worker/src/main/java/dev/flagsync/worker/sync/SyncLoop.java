package dev.flagsync.worker.sync;

import dev.flagsync.shared.lifecycle.BackoffPolicy;
import dev.flagsync.shared.lifecycle.Loop;
import dev.flagsync.shared.propagation.Micros;
import dev.flagsync.shared.propagation.Stage;
import dev.flagsync.worker.kafka.Topics;
import dev.flagsync.worker.metrics.HealthCheck;
import dev.flagsync.worker.metrics.WorkerMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync role, one step of its {@link Loop} at a time: poll the change topic (coalescing bursts
 * into batches, {@link Coalescing}), have the batch applied ({@link BatchApplier}: retried in
 * place until it succeeded), and only then commit exactly the offsets it applied ({@link Offsets}), so nothing
 * is skipped or committed early, whatever the group does meanwhile.
 *
 * <p>Ready once the group assigned this member its partitions and its position reached the end
 * offsets the broker reported after the latest assignment and the latest {@link #requireCatchUp()}
 * (asked of the broker once, not the consumer's cached lag): everything written before then is
 * applied. Asking for the end again at every check would never be answered while writes keep
 * coming, as something new has always arrived since. Stalled (liveness) when records wait and no
 * batch was applied for the loop's stall time.
 */
public final class SyncLoop implements AutoCloseable, ConsumerRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(SyncLoop.class);
    private static final int MAX_BATCH = 10_000;
    /** How long an idle poll waits; a record that arrives ends it at once. */
    private static final Duration IDLE_POLL = Duration.ofMillis(500);
    private static final Duration END_OFFSETS_TIMEOUT = Duration.ofSeconds(2);

    private final Consumer<String, String> consumer;
    private final List<String> topics;
    /** The topics as log lines and health name them. */
    private final String topic;
    private final String group;
    private final WorkerMetrics metrics;
    private final BatchApplier applier;
    private final Coalescing coalescing;
    private final Offsets offsets;
    private final Loop loop;
    private boolean subscribed;
    private volatile Set<String> assignment;
    /** Bumped by each assignment and {@link #requireCatchUp()}; ready once {@link #caughtUpAt} equals it. */
    private final AtomicLong catchUpsRequired = new AtomicLong();
    private volatile long caughtUpAt = -1;
    /** The end offsets to reach for catch-up number {@link #targetFor}, asked of the broker after it was required. */
    private Map<TopicPartition, Long> target = Map.of();
    private long targetFor = -1;
    private volatile long lag = -1;

    public SyncLoop(Consumer<String, String> consumer, String topic, String group, BatchApplier applier,
                    WorkerMetrics metrics, Duration coalesceWindow, Duration stallAfter) {
        this(consumer, List.of(topic), group, applier, metrics, coalesceWindow, stallAfter);
    }

    /** Consumes every topic of {@code topics} in one group: a batch may hold changes of flags and of segments. */
    public SyncLoop(Consumer<String, String> consumer, List<String> topics, String group, BatchApplier applier,
                    WorkerMetrics metrics, Duration coalesceWindow, Duration stallAfter) {
        this.consumer = consumer;
        this.topics = List.copyOf(topics);
        this.topic = String.join(" and ", topics);
        this.group = group;
        this.applier = applier;
        this.metrics = metrics;
        this.coalescing = new Coalescing(coalesceWindow);
        this.offsets = new Offsets(consumer, topic);
        this.loop = Loop.named("sync")
                .backoff(BackoffPolicy.exponential(Duration.ofMillis(100), Duration.ofSeconds(5)))
                .stallAfter(stallAfter, () -> lag > 0)
                .onStop(consumer::wakeup)
                .onExit(() -> consumer.close(Duration.ofSeconds(5)))
                .build(this::step);
    }

    public void start() {
        loop.start();
    }

    private Duration step(Loop loop) {
        if (!subscribed) {
            consumer.subscribe(topics, this);
            subscribed = true;
        }
        Polled polled = nextBatch();
        offsets.commit(loop); // what an earlier step applied but could not commit (the group was rebalancing)
        if (!polled.records.isEmpty()) {
            polled.recordCoalescingWait();
            if (!applier.applyUntilDone(polled.records, loop)) {
                return Duration.ZERO; // stopping: the batch stays uncommitted and is replayed
            }
            coalescing.applied(System.nanoTime());
            offsets.applied(polled.records);
            offsets.commit(loop);
            loop.progress();
        }
        recordLag(loop);
        return Duration.ZERO;
    }

    /**
     * The next records to apply: what one poll brings, and during a burst (see {@link Coalescing})
     * what further polls bring until a window has passed since the last rewarm, so a burst of N
     * writes to one environment costs about (burst length / window) rewarms, not N; or until a
     * whole base window brought nothing, as the burst has ended.
     */
    private Polled nextBatch() {
        Polled polled = new Polled();
        polled.add(consumer.poll(IDLE_POLL));
        if (polled.records.isEmpty()) {
            return polled;
        }
        long applyAt = coalescing.applyAt(System.nanoTime());
        while (polled.records.size() < MAX_BATCH && System.nanoTime() < applyAt) {
            // In spells of at most one base window: a spell that brings nothing means the burst is
            // over, and its last changes need not wait out a window widened by the burst.
            long spell = Math.min(coalescing.quietSpell(), Math.max(0, applyAt - System.nanoTime()));
            ConsumerRecords<String, String> more = consumer.poll(Duration.ofNanos(spell));
            polled.add(more);
            if (more.isEmpty() && spell == coalescing.quietSpell()) {
                break;
            }
        }
        return polled;
    }

    /** The records of one batch, and when each poll returned them, for the stage timings. */
    private final class Polled {
        final List<ConsumerRecord<String, String>> records = new ArrayList<>();
        private final List<long[]> polls = new ArrayList<>(); // {nanoTime, records so far}

        void add(ConsumerRecords<String, String> batch) {
            if (batch.isEmpty()) {
                return;
            }
            long now = System.nanoTime();
            long nowMicros = Micros.now();
            for (ConsumerRecord<String, String> record : batch) {
                records.add(record);
                Header captured = record.headers().lastHeader(Topics.CAPTURED_AT_HEADER);
                if (captured != null) {
                    metrics.stages().recordSinceMicros(Stage.SEND_TO_POLL, capturedMicros(captured, nowMicros));
                }
            }
            polls.add(new long[] {now, records.size()});
            coalescing.arrived(batch.count(), now);
        }

        void recordCoalescingWait() {
            long now = System.nanoTime();
            int from = 0;
            for (long[] poll : polls) {
                for (int i = from; i < poll[1]; i++) {
                    metrics.stages().record(Stage.COALESCING_WAIT, now - poll[0]);
                }
                from = (int) poll[1];
            }
        }
    }

    /** The capture's stamp as epoch microseconds; an unreadable one counts as "now", i.e. no time. */
    private static long capturedMicros(Header header, long nowMicros) {
        try {
            return Long.parseLong(new String(header.value(), StandardCharsets.US_ASCII));
        } catch (RuntimeException e) {
            return nowMicros;
        }
    }

    /**
     * Lag of the assigned partitions as the consumer last saw it (unknown, -1, until each was
     * fetched from once), for the gauge and stall detection; and, while a catch-up is required,
     * whether the position reached the end offsets the broker reports now.
     */
    private void recordLag(Loop loop) {
        long sum = 0;
        for (TopicPartition partition : consumer.assignment()) {
            OptionalLong behind = consumer.currentLag(partition);
            if (behind.isEmpty()) {
                lag = -1;
                return;
            }
            sum += behind.getAsLong();
        }
        lag = sum;
        metrics.consumerLag(sum);
        if (sum == 0) {
            loop.progress(); // idle and caught up is the work done
        }
        long required = catchUpsRequired.get();
        if (assignment != null && caughtUpAt != required && reachedTarget(required)) {
            caughtUpAt = required;
            LOG.info("sync caught up on partitions {}", assignment);
        }
    }

    /** Whether the position reached the end offsets the broker reported once catch-up number {@code required} was asked for. */
    private boolean reachedTarget(long required) {
        Set<TopicPartition> owned = consumer.assignment();
        try {
            if (targetFor != required || !target.keySet().containsAll(owned)) {
                target = Map.copyOf(consumer.endOffsets(owned, END_OFFSETS_TIMEOUT));
                targetFor = required;
            }
            return owned.stream().allMatch(partition -> consumer.position(partition) >= target.getOrDefault(partition, 0L));
        } catch (KafkaException e) {
            LOG.debug("end offsets of {} unknown for now: {}", topic, e.toString());
            return false;
        }
    }

    /**
     * Readiness waits until this consumer has caught up again, e.g. because the capture of this
     * process just began streaming: its initial snapshot may still be ahead of the sync.
     */
    public void requireCatchUp() {
        catchUpsRequired.incrementAndGet();
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        offsets.revoked(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        offsets.lost(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        Set<String> now = new TreeSet<>();
        consumer.assignment().forEach(partition -> now.add(partition.toString()));
        LOG.info("sync assigned partitions {} (newly: {})", now, partitions.size());
        metrics.assigned();
        if (!partitions.isEmpty()) {
            lag = -1;
            requireCatchUp();
        }
        assignment = now;
    }

    /** Ready once assigned and caught up; see the class comment. */
    public HealthCheck health() {
        return HealthCheck.of("sync", loop, this::notReady, this::state);
    }

    private Optional<String> notReady() {
        if (assignment == null) {
            return Optional.of("waiting for consumer group " + group + " to assign partitions of " + topic);
        }
        if (caughtUpAt != catchUpsRequired.get()) {
            long behind = lag;
            return Optional.of("catching up on partitions " + assignment + ": "
                    + (behind < 0 ? "lag not known yet" : behind == 0 ? "confirming the end offsets with the broker"
                    : behind + " records behind"));
        }
        return Optional.empty();
    }

    private Optional<String> state() {
        Set<String> partitions = assignment;
        return partitions == null ? Optional.empty()
                : Optional.of("partitions " + partitions + ", lag " + (lag < 0 ? "unknown" : lag));
    }

    @Override
    public void close() {
        loop.close();
    }
}
