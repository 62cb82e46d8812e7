package dev.flagsync.worker.sync;

import dev.flagsync.shared.cache.SnapshotCache;
import dev.flagsync.shared.db.FlagStore;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.Snapshot;
import dev.flagsync.shared.propagation.Stage;
import dev.flagsync.worker.metrics.WorkerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewarms one environment: reads it from PostgreSQL, writes it to Redis unless Redis already
 * holds a newer version, and announces the change to API instances.
 */
public final class Rewarmer {

    private static final Logger LOG = LoggerFactory.getLogger(Rewarmer.class);

    private final FlagStore store;
    private final SnapshotCache cache;
    private final WorkerMetrics metrics;

    public Rewarmer(FlagStore store, SnapshotCache cache, WorkerMetrics metrics) {
        this.store = store;
        this.cache = cache;
        this.metrics = metrics;
    }

    /** Throws whatever the database or Redis client throws; the caller retries. */
    public long rewarm(String environment, boolean byReconcile) {
        long started = System.nanoTime();
        Snapshot snapshot = store.load(environment);
        long loaded = System.nanoTime();
        boolean written = cache.putIfNewer(FlagJson.encode(snapshot));
        if (!byReconcile) {
            metrics.stages().record(Stage.DATABASE_LOAD, loaded - started);
            metrics.stages().record(Stage.REDIS_WRITE, System.nanoTime() - loaded);
        }
        if (written) {
            cache.publishChange(environment, snapshot.version());
        }
        metrics.rewarmed(byReconcile);
        LOG.debug("rewarmed {} to version {} in {} ms (written={})", environment, snapshot.version(),
                (System.nanoTime() - started) / 1_000_000, written);
        return snapshot.version();
    }
}
