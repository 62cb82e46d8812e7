package dev.flagsync.worker.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagsync.shared.cache.SnapshotCache;
import dev.flagsync.shared.db.FlagStore;
import dev.flagsync.shared.flag.EncodedSnapshot;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.FlagUpdate;
import dev.flagsync.shared.flag.Snapshot;
import dev.flagsync.shared.lifecycle.BackoffPolicy;
import dev.flagsync.shared.lifecycle.Loop;
import dev.flagsync.worker.metrics.WorkerMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** Every environment is empty at version 1. */
    private static final class OneVersionStore implements FlagStore {
        @Override
        public Snapshot load(String environment) {
            return new Snapshot(environment, 1, List.of());
        }

        @Override
        public Flag upsert(String environment, String key, FlagUpdate update) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean delete(String environment, String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Long> versions() {
            return Map.of();
        }
    }

    /** Fails the writes of one environment a given number of times, like Redis going away. */
    private static final class FlakyCache implements SnapshotCache {
        final List<String> written = new ArrayList<>();
        String failing = "";
        int failuresLeft;

        @Override
        public Optional<EncodedSnapshot> get(String environment) {
            return Optional.empty();
        }

        @Override
        public boolean putIfNewer(EncodedSnapshot snapshot) {
            if (snapshot.environment().equals(failing) && failuresLeft-- > 0) {
                throw new IllegalStateException("Redis is down");
            }
            written.add(snapshot.environment());
            return true;
        }

        @Override
        public void publishChange(String environment, long version) {
        }
    }
}
