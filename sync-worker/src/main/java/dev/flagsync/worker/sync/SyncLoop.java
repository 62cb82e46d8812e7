package dev.flagsync.worker.sync;

import dev.flagsync.shared.lifecycle.BackoffPolicy;
import dev.flagsync.shared.lifecycle.Loop;
import dev.flagsync.worker.metrics.HealthCheck;
import dev.flagsync.worker.metrics.WorkerMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync role, one step of its {@link Loop} at a time: poll the change topic (coalescing bursts
 * into batches), have the batch applied ({@link BatchApplier}: retried in place until it
 * succeeded), and only then commit exactly the offsets it applied ({@link Offsets}), so nothing
 * is skipped or committed early, whatever the group does meanwhile.
 *
 * <p>Ready once the group assigned this member its partitions and it caught up with them (lag 0)
 * at least once since; stalled (liveness) when records wait and no batch was applied for the
 * loop's stall time.
 */
public final class SyncLoop implements AutoCloseable, HealthCheck, ConsumerRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(SyncLoop.class);
    private static final int MAX_BATCH = 10_000;

    private final Consumer<String, String> consumer;
    private final String topic;
    private final String group;
    private final WorkerMetrics metrics;
    private final BatchApplier applier;
    private final Duration coalesceWindow;
    private final Offsets offsets;
    private final Loop loop;
    private boolean subscribed;
    private long lastApplied = System.nanoTime() - Duration.ofHours(1).toNanos();
    private volatile Set<Integer> assignment;
    private volatile boolean caughtUp;
    private volatile long lag = -1;

    public SyncLoop(Consumer<String, String> consumer, String topic, String group, BatchApplier applier,
                    WorkerMetrics metrics, Duration coalesceWindow, Duration stallAfter) {
        this.consumer = consumer;
        this.topic = topic;
        this.group = group;
        this.applier = applier;
        this.metrics = metrics;
        this.coalesceWindow = coalesceWindow;
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
            consumer.subscribe(List.of(topic), this);
            subscribed = true;
        }
        List<ConsumerRecord<String, String>> records = nextBatch();
        offsets.commit(loop); // what an earlier step applied but could not commit (the group was rebalancing)
        if (!records.isEmpty()) {
            if (!applier.applyUntilDone(records, loop)) {
                return Duration.ZERO; // stopping: the batch stays uncommitted and is replayed
            }
            lastApplied = System.nanoTime();
            offsets.applied(records);
            offsets.commit(loop);
            loop.progress();
        }
        recordLag(loop);
        return Duration.ZERO;
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
        long until = lastApplied + coalesceWindow.toNanos();
        while (batch.size() > 1 && batch.size() < MAX_BATCH && System.nanoTime() < until) {
            consumer.poll(Duration.ofNanos(Math.max(0, until - System.nanoTime()))).forEach(batch::add);
        }
        return batch;
    }

    /** Lag of the assigned partitions; unknown (-1) until each has been fetched from once. */
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
        if (sum == 0 && assignment != null) {
            if (!caughtUp) {
                LOG.info("sync caught up on partitions {} of {}", assignment, topic);
            }
            caughtUp = true;
            loop.progress(); // idle and caught up is the work done
        }
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
        Set<Integer> now = new TreeSet<>();
        consumer.assignment().forEach(partition -> now.add(partition.partition()));
        LOG.info("sync assigned partitions {} of {} (newly: {})", now, topic, partitions.size());
        metrics.assigned();
        if (!partitions.isEmpty()) {
            caughtUp = false;
            lag = -1;
        }
        assignment = now;
    }

    @Override
    public String name() {
        return "sync";
    }

    @Override
    public Optional<String> liveProblem() {
        return loop.liveProblem();
    }

    @Override
    public Optional<String> readyProblem() {
        Optional<String> problem = loop.readyProblem();
        if (problem.isPresent() && !problem.get().equals("starting")) {
            return problem;
        }
        if (assignment == null) {
            return Optional.of("waiting for consumer group " + group + " to assign partitions of " + topic);
        }
        if (!caughtUp) {
            long behind = lag;
            return Optional.of("catching up on partitions " + assignment + " of " + topic + ": "
                    + (behind < 0 ? "lag not known yet" : behind + " records behind"));
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> state() {
        Set<Integer> partitions = assignment;
        return partitions == null ? Optional.empty()
                : Optional.of("partitions " + partitions + " of " + topic + ", lag " + (lag < 0 ? "unknown" : lag));
    }

    @Override
    public void close() {
        loop.close();
    }
}
