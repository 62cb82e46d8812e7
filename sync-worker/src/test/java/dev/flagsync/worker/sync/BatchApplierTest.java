package dev.flagsync.worker.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagsync.shared.lifecycle.BackoffPolicy;
import dev.flagsync.shared.lifecycle.Loop;
import dev.flagsync.worker.metrics.WorkerMetrics;
import java.time.Duration;
import java.util.List;
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
    private final BatchApplier applier = new BatchApplier(new OneVersionStore(),
            new Rewarmer(new OneVersionStore(), cache, new WorkerMetrics()),
            new DeadLetters(producer, "changes.dlq"), new WorkerMetrics());

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

    private static ConsumerRecord<String, String> record(String value, long offset) {
        return new ConsumerRecord<>("changes", 0, offset, "{}", value);
    }
}
