package dev.flagsync.worker.sync;

import dev.flagsync.shared.cache.SnapshotCache;
import dev.flagsync.shared.db.FlagStore;
import dev.flagsync.shared.flag.EncodedSnapshot;
import dev.flagsync.shared.lifecycle.BackoffPolicy;
import dev.flagsync.shared.lifecycle.Loop;
import dev.flagsync.worker.metrics.HealthCheck;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms every environment at start, then periodically compares each environment's version in
 * PostgreSQL with the one in Redis and rewarms any that differ or are missing: the safety net
 * for an evicted key, a flushed Redis or a change that never reached Kafka. Not ready until the
 * start-up warm is done.
 */
public final class Reconciler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final FlagStore store;
    private final SnapshotCache cache;
    private final Rewarmer rewarmer;
    private final Duration interval;
    private final Loop loop;
    private volatile boolean warmed;

    public Reconciler(FlagStore store, SnapshotCache cache, Rewarmer rewarmer, Duration interval) {
        this.store = store;
        this.cache = cache;
        this.rewarmer = rewarmer;
        this.interval = interval;
        this.loop = Loop.named("reconcile").backoff(BackoffPolicy.exponential(Duration.ofMillis(200), Duration.ofSeconds(5)))
                .build(this::step);
    }

    public Reconciler start() {
        loop.start();
        return this;
    }

    private Duration step(Loop loop) {
        if (warmed) {
            reconcile();
        } else {
            warmAll();
            warmed = true;
        }
        loop.progress();
        return interval;
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

    /** Not ready until the start-up warm is done. */
    public HealthCheck health() {
        return HealthCheck.of("reconcile", loop,
                () -> warmed ? Optional.empty() : Optional.of("warming every environment into Redis at start"), Optional::empty);
    }

    @Override
    public void close() {
        loop.close();
    }
}
