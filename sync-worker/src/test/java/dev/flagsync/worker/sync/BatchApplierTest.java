package dev.flagsync.worker.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagsync.shared.lifecycle.BackoffPolicy;
import dev.flagsync.shared.lifecycle.Loop;
import dev.flagsync.worker.metrics.WorkerMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class BatchApplierTest {

    private final FlakyCache cache = new FlakyCache();
    /** Never started: the applier only waits through it, on the test's thread. */
    private final Loop loop = Loop.named("sync-test").backoff(BackoffPolicy.exponential(Duration.ofMillis(1), Duration.ofMillis(1)))
            .build(l -> Duration.ZERO);
    private final MockProducer<String, String> producer =
            new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
    /** Says not visible to its first {@code invisibleLooks} questions, and records them and what was written by then. */
    private final Visibility visibility = new Visibility();
    private final WorkerMetrics metrics = new WorkerMetrics();
    private final BatchApplier applier = new BatchApplier(new OneVersionStore(),
            new Rewarmer(new OneVersionStore(), cache, metrics),
            new DeadLetters(producer, "changes.dlq"), visibility, metrics);

    @Test
    void rewarmsOnlyOnceTheChangesTransactionsAreVisible() {
        visibility.invisibleLooks = 3;

        boolean applied = applier.applyUntilDone(List.of(change("a", 0, 41), change("b", 1, 42), change("a", 2, 41)), loop);

        assertThat(applied).isTrue();
        assertThat(cache.written).containsExactly("a", "b");
        assertThat(visibility.looks).hasSize(4).allSatisfy(asked -> assertThat(asked).containsExactlyInAnyOrder(41L, 42L));
        assertThat(visibility.writesSeen).as("snapshots written before each look").containsOnly(0);
        assertThat(metrics.registry().find("flagsync.sync.visibility.waits").counter().count()).isEqualTo(1);
    }

    @Test
    void changesWithoutATransactionIdAreRewarmedWithoutAsking() {
        assertThat(applier.applyUntilDone(List.of(change("a", 0)), loop)).isTrue();

        assertThat(cache.written).containsExactly("a");
        assertThat(visibility.looks).isEmpty();
    }

    @Test
    void closingWhileWaitingForVisibilityLeavesTheBatchUnapplied() {
        visibility.invisibleLooks = Integer.MAX_VALUE;
        loop.close();

        assertThat(applier.applyUntilDone(List.of(change("a", 0, 41)), loop)).isFalse();
        assertThat(cache.written).isEmpty();
    }

    @Test
    void retriesAFailedBatchInPlaceAndRewarmsOnlyWhatIsLeft() {
        cache.failuresLeft = 1;
        cache.failing = "b";

        boolean applied = applier.applyUntilDone(List.of(change("a", 0), change("b", 1), change("a", 2)), loop);

        assertThat(applied).isTrue();
        assertThat(cache.written).containsExactly("a", "b");
        assertThat(loop.state().failures()).isEqualTo(1);
        assertThat(loop.state().lastFailure()).contains("cannot apply 3 change events (1 environments left)")
                .contains("Redis is down");
    }

    @Test
    void sendsUnreadableRecordsToTheDeadLetterTopicAndAppliesTheRest() {
        boolean applied = applier.applyUntilDone(List.of(record("not json", 0), change("a", 1)), loop);

        assertThat(applied).isTrue();
        assertThat(producer.history()).singleElement().satisfies(letter -> assertThat(letter.value()).isEqualTo("not json"));
        assertThat(cache.written).containsExactly("a");
    }

    @Test
    void closingDuringRetriesLeavesTheBatchUnapplied() {
        cache.failuresLeft = Integer.MAX_VALUE;
        cache.failing = "a";
        loop.close();

        assertThat(applier.applyUntilDone(List.of(change("a", 0)), loop)).isFalse();
        assertThat(cache.written).isEmpty();
    }

    private static ConsumerRecord<String, String> change(String environment, long offset) {
        return record("{\"before\":null,\"after\":{\"environment\":\"" + environment + "\",\"flag_key\":\"k\"},\"op\":\"c\"}",
                offset);
    }

    private static ConsumerRecord<String, String> change(String environment, long offset, long transaction) {
        return record("{\"before\":null,\"after\":{\"environment\":\"" + environment + "\",\"flag_key\":\"k\"},\"op\":\"c\","
                + "\"source\":{\"txId\":" + transaction + "}}", offset);
    }

    private final class Visibility implements CommitVisibility {
        int invisibleLooks;
        final List<Set<Long>> looks = new ArrayList<>();
        final List<Integer> writesSeen = new ArrayList<>();

        @Override
        public boolean visible(Set<Long> transactionIds) {
            looks.add(transactionIds);
            writesSeen.add(cache.written.size());
            return looks.size() > invisibleLooks;
        }
    }

    private static ConsumerRecord<String, String> record(String value, long offset) {
        return new ConsumerRecord<>("changes", 0, offset, "{}", value);
    }
}
