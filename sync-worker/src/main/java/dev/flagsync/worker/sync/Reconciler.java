package dev.flagsync.worker.sync;

import dev.flagsync.shared.cache.SnapshotCache;
import dev.flagsync.shared.db.FlagStore;
import dev.flagsync.shared.flag.EncodedSnapshot;
import dev.flagsync.worker.Backoff;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms every environment at start, then periodically compares each environment's version in
 * PostgreSQL with the one in Redis and rewarms any that differ or are missing: the safety net
 * for an evicted key, a flushed Redis or a change that never reached Kafka.
 */
public final class Reconciler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final FlagStore store;
    private final SnapshotCache cache;
    private final Rewarmer rewarmer;
    private final Duration interval;
    private final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));
    private final Thread thread;

    public Reconciler(FlagStore store, SnapshotCache cache, Rewarmer rewarmer, Duration interval) {
        this.store = store;
        this.cache = cache;
        this.rewarmer = rewarmer;
        this.interval = interval;
        this.thread = Thread.ofPlatform().name("reconcile").unstarted(this::loop);
    }

    public void start() {
        thread.start();
    }

    private void loop() {
        boolean warmed = false;
        while (!backoff.isCancelled()) {
            Duration next = interval;
            try {
                if (warmed) {
                    reconcile();
                } else {
                    warmAll();
                    warmed = true;
                }
                backoff.reset();
            } catch (RuntimeException e) {
                next = backoff.nextDelay();
                LOG.warn("{} failed; retrying in {}: {}", warmed ? "reconciliation" : "start-up warm", next, e.toString());
                backoff.pause();
                continue;
            }
            if (!backoff.waitFor(next)) {
                break;
            }
        }
    }

    private void warmAll() {
        Map<String, Long> versions = store.versions();
        for (String environment : versions.keySet()) {
            rewarmer.rewarm(environment, true);
        }
        LOG.info("warmed {} environments at start", versions.size());
    }

    /** Rewarms environments whose Redis snapshot is missing or at another version; returns how many. */
    int reconcile() {
        int repaired = 0;
        for (Map.Entry<String, Long> entry : store.versions().entrySet()) {
            Optional<EncodedSnapshot> cached = cache.get(entry.getKey());
            if (cached.isEmpty() || cached.get().version() != entry.getValue()) {
                LOG.info("reconcile: {} is at version {} in PostgreSQL but {} in Redis; rewarming", entry.getKey(),
                        entry.getValue(), cached.map(c -> Long.toString(c.version())).orElse("absent"));
                rewarmer.rewarm(entry.getKey(), true);
                repaired++;
            }
        }
        return repaired;
    }

    @Override
    public void close() throws InterruptedException {
        backoff.cancel();
        thread.join(Duration.ofSeconds(10));
    }
}
