package dev.flagsync.api.changes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flagsync.shared.cache.ChangeNotice;
import dev.flagsync.shared.db.FlagStore;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.FlagUpdate;
import dev.flagsync.shared.flag.Snapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class VersionPollerTest {

    /** The versions table, and every question asked of it. */
    private static final class Versions implements FlagStore {
        final Map<String, Long> current = new ConcurrentHashMap<>();
        final List<Set<String>> queries = new CopyOnWriteArrayList<>();

        @Override
        public Map<String, Long> versions(Collection<String> environments) {
            queries.add(Set.copyOf(environments));
            Map<String, Long> found = new ConcurrentHashMap<>(current);
            found.keySet().retainAll(environments);
            return found;
        }

        @Override
        public Map<String, Long> versions() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Snapshot load(String environment) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Flag upsert(String environment, String key, FlagUpdate update) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean delete(String environment, String key) {
            throw new UnsupportedOperationException();
        }
    }

    private final Versions store = new Versions();
    private final Map<String, Long> served = new ConcurrentHashMap<>(Map.of("a", 1L, "b", 2L));
    private final List<ChangeNotice> told = new CopyOnWriteArrayList<>();
    private final AtomicBoolean subscribed = new AtomicBoolean(true);
    private final ChangeListener listener = new ChangeListener() {
        @Override
        public void changed(ChangeNotice change) {
            told.add(change);
        }

        @Override
        public void subscribed() {
        }

        @Override
        public void unsubscribed() {
        }
    };

    @Test
    void pollsAllServedEnvironmentsInOneQueryOnlyWhileTheSubscriptionIsDown() {
        store.current.putAll(Map.of("a", 1L, "b", 2L));
        try (VersionPoller poller = new VersionPoller(store, () -> Map.copyOf(served), listener, subscribed::get,
                new SimpleMeterRegistry(), Duration.ofMillis(10)).start()) {
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> store.queries.isEmpty());

            subscribed.set(false);
            await().atMost(Duration.ofSeconds(2)).until(poller::polling);
            await().atMost(Duration.ofSeconds(2)).until(() -> store.queries.size() >= 3);
            assertThat(store.queries).allSatisfy(query -> assertThat(query).containsExactlyInAnyOrder("a", "b"));
            assertThat(told).isEmpty(); // nothing newer than what is served

            store.current.put("a", 3L);
            await().atMost(Duration.ofSeconds(2)).until(() -> told.contains(new ChangeNotice("a", 3)));
            // Told once, although the reader has not caught up and every poll still sees it.
            int queries = store.queries.size();
            await().atMost(Duration.ofSeconds(2)).until(() -> store.queries.size() > queries + 5);
            assertThat(told).containsExactly(new ChangeNotice("a", 3));

            subscribed.set(true);
            await().atMost(Duration.ofSeconds(2)).until(() -> !poller.polling());
            int last = store.queries.size();
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> store.queries.size() == last);
            assertThat(poller.loop().liveProblem()).isEmpty();
        }
    }
}
