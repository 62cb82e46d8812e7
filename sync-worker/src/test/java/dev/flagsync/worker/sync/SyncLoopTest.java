package dev.flagsync.worker.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flagsync.worker.metrics.WorkerMetrics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The commit path against every failure Kafka's {@code commitSync} can throw, which a real broker
 * only produces by chance: Kafka's own MockConsumer, told which commit fails how.
 */
class SyncLoopTest {

    private static final String TOPIC = "changes";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    private final FlakyCache cache = new FlakyCache();
    private final FailingCommits consumer = new FailingCommits(cache);
    private final WorkerMetrics metrics = new WorkerMetrics();
    private final BatchApplier applier = new BatchApplier(new OneVersionStore(),
            new Rewarmer(new OneVersionStore(), cache, metrics),
            new DeadLetters(new MockProducer<>(true, null, new StringSerializer(), new StringSerializer()), TOPIC + ".dlq"),
            transactions -> true, metrics);
    private SyncLoop sync;

    @AfterEach
    void close() {
        cache.release.countDown();
        if (sync != null) {
            sync.close();
        }
    }

    private void start(Duration stallAfter) {
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(PARTITION));
            consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
            consumer.raiseEndOffset(0);
        });
        sync = new SyncLoop(consumer, TOPIC, "group", applier, metrics, Duration.ZERO, stallAfter);
        sync.start();
    }

    private void send(long offset, String environment) {
        consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, "{}",
                "{\"before\":null,\"after\":{\"environment\":\"" + environment + "\",\"flag_key\":\"k\"},\"op\":\"c\"}")));
    }

    @Test
    void everyCommitFailureIsSurvivedAndOnlyAppliedOffsetsAreEverCommitted() {
        consumer.failures.addAll(List.of(new RebalanceInProgressException("rebalancing"), new TimeoutException("slow"),
                new WakeupException(), new KafkaException("broker away")));
        start(Duration.ofMinutes(1));
        for (int i = 0; i < 6; i++) {
            send(i, "env-" + i);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.committedOffset() == 6);

        assertThat(consumer.failures).isEmpty();
        assertThat(sync.health().liveProblem()).isEmpty();
        assertThat(consumer.aheadOfRedis).as("commits of offsets whose records were not all in Redis yet").isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> sync.health().readyProblem().isEmpty());
    }

    @Test
    void aCommitRejectedBecauseTheGroupMovedOnIsDroppedNotRetried() {
        consumer.failures.add(new CommitFailedException("kicked out"));
        start(Duration.ofMinutes(1));
        send(0, "env-a");
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.attempts.size() == 1);
        send(1, "env-b");

        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.committedOffset() == 2);

        assertThat(consumer.attempts).containsExactly(1L, 2L); // offset 1 was not sent again on its own
        assertThat(sync.health().liveProblem()).isEmpty();
    }

    /**
     * Found by bin/chaos: with a steady stream of writes, a restarted worker never became ready,
     * because readiness asked the broker for the end offsets again at every check and something
     * new had always arrived since the last poll.
     */
    @Test
    void becomesReadyWhileWritesKeepArriving() {
        for (int i = 0; i < 200; i++) {
            long offset = i;
            // Each poll brings one record, and the next has already arrived: the lag is never 0.
            consumer.schedulePollTask(() -> {
                if (offset == 0) {
                    consumer.rebalance(List.of(PARTITION));
                    consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
                }
                consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, "{}", "{\"before\":null,\"after\":"
                        + "{\"environment\":\"env-" + offset + "\",\"flag_key\":\"k\"},\"op\":\"c\"}"));
                consumer.raiseEndOffset(offset + 2);
            });
        }
        sync = new SyncLoop(consumer, TOPIC, "group", applier, metrics, Duration.ZERO, Duration.ofMinutes(1));
        sync.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> sync.health().readyProblem().isEmpty());

        assertThat(consumer.committedOffset()).as("ready only after the records that were there first are applied")
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void aBatchThatNeverReturnsWhileRecordsWaitFailsLiveness() {
        cache.blocking = "env-stuck";
        start(Duration.ofMillis(300));
        send(0, "env-a");
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.committedOffset() == 1);
        assertThat(sync.health().liveProblem()).isEmpty();
        // Records wait (end offset 10) and the batch hangs, like a JDBC read on a dead connection.
        consumer.schedulePollTask(() -> consumer.raiseEndOffset(10));
        send(1, "env-stuck");

        await().atMost(Duration.ofSeconds(10)).until(() -> sync.health().liveProblem().isPresent());

        assertThat(sync.health().liveProblem()).get().asString().contains("no progress");
        assertThat(consumer.committedOffset()).isEqualTo(1);
    }

    /**
     * Fails the next commits with the queued exceptions, and records every offset it was asked to
     * commit, and any that went beyond what was in Redis at that moment (each record here writes
     * one environment, so offset n needs n writes).
     */
    private static final class FailingCommits extends MockConsumer<String, String> {
        final Queue<KafkaException> failures = new ArrayDeque<>();
        final List<Long> attempts = new CopyOnWriteArrayList<>();
        final List<String> aheadOfRedis = new CopyOnWriteArrayList<>();
        private final FlakyCache cache;
        private long end;

        FailingCommits(FlakyCache cache) {
            super("earliest");
            this.cache = cache;
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            long offset = offsets.get(PARTITION).offset();
            attempts.add(offset);
            if (offset > cache.written.size()) {
                aheadOfRedis.add("offset " + offset + " with " + cache.written.size() + " writes");
            }
            KafkaException failure = failures.poll();
            if (failure != null) {
                throw failure;
            }
            super.commitSync(offsets, timeout);
        }

        /** Like a broker: a record added moves the end offset past it; the end offset never goes back. */
        @Override
        public synchronized void addRecord(ConsumerRecord<String, String> record) {
            super.addRecord(record);
            raiseEndOffset(record.offset() + 1);
        }

        synchronized void raiseEndOffset(long offset) {
            end = Math.max(end, offset);
            updateEndOffsets(Map.of(PARTITION, end));
        }

        synchronized long committedOffset() {
            OffsetAndMetadata committed = committed(java.util.Set.of(PARTITION)).get(PARTITION);
            return committed == null ? 0 : committed.offset();
        }
    }
}
