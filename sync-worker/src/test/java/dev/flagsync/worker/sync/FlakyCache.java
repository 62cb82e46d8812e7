package dev.flagsync.worker.sync;

import dev.flagsync.shared.cache.SnapshotCache;
import dev.flagsync.shared.flag.EncodedSnapshot;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A cache that fails the writes of one environment a given number of times, like Redis going
 * away, or blocks them until released, like a call that never returns.
 */
final class FlakyCache implements SnapshotCache {

    final List<String> written = new CopyOnWriteArrayList<>();
    volatile String failing = "";
    volatile int failuresLeft;
    volatile String blocking = "";
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public Optional<EncodedSnapshot> get(String environment) {
        return Optional.empty();
    }

    @Override
    public boolean putIfNewer(EncodedSnapshot snapshot) {
        if (snapshot.environment().equals(failing) && failuresLeft-- > 0) {
            throw new IllegalStateException("Redis is down");
        }
        if (snapshot.environment().equals(blocking)) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        written.add(snapshot.environment());
        return true;
    }

    @Override
    public void publishChange(String environment, long version) {
    }
}
