package dev.flagsync.api.read;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.flagsync.api.changes.ChangeListener;
import dev.flagsync.shared.cache.ChangeNotice;
import dev.flagsync.shared.cache.SnapshotCache;
import dev.flagsync.shared.db.FlagStore;
import dev.flagsync.shared.flag.EncodedSnapshot;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.FlagNames;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read path: memory, then Redis, then PostgreSQL, then the last known good copy.
 * Concurrent misses for one environment share a single load (Caffeine's async cache holds
 * the in-flight future), and a database read fills Redis through the compare-and-set.
 * Change notifications drop the memory copy; while they cannot be received, memory copies
 * are served only for {@link #SUSPECT_TTL}, so a missed notification costs little.
 * A Redis copy older than a version already seen here (announced, or served before) is out of
 * date, e.g. Redis restarted from an old dump while no worker could rewarm it, so PostgreSQL is
 * read instead; and a load that finishes after a newer one never replaces what is served: no
 * reader is ever sent back a version.
 */
public final class FlagReader implements ChangeListener {

    static final Duration SUSPECT_TTL = Duration.ofMillis(250);

    private static final Logger LOG = LoggerFactory.getLogger(FlagReader.class);

    private final RedisTier redis;
    private final FlagStore database;
    private final Guard guard;
    private final ReadMetrics metrics;
    private final AsyncCache<String, Loaded> memory;
    private final LastKnownGood lastKnownGood;
    private final Map<String, Long> announced = new ConcurrentHashMap<>();
    private final boolean memoryEnabled;
    private volatile boolean memoryTrusted = true;

    /** A read as loaded into memory, with when, to judge its age while notifications are down. */
    private record Loaded(Read read, long loadedAtNanos) {
        boolean youngerThan(Duration age) {
            return System.nanoTime() - loadedAtNanos < age.toNanos();
        }
    }

    public FlagReader(SnapshotCache redis, FlagStore database, Guard guard, MeterRegistry registry,
                      Duration memoryTtl, Executor loader) {
        this(redis, database, guard, registry, memoryTtl, loader, snapshot -> { });
    }

    /** @param onNewer told of every snapshot newer than any this instance had (off the read path's locks) */
    public FlagReader(SnapshotCache redis, FlagStore database, Guard guard, MeterRegistry registry,
                      Duration memoryTtl, Executor loader, Consumer<EncodedSnapshot> onNewer) {
        this.metrics = new ReadMetrics(registry);
        this.redis = new RedisTier(redis, guard, metrics);
        this.database = database;
        this.guard = guard;
        this.memoryEnabled = !memoryTtl.isZero();
        // A zero TTL still coalesces concurrent misses: the future lives until it completes.
        this.memory = Caffeine.newBuilder()
                .maximumSize(10_000)
                .expireAfterWrite(memoryEnabled ? memoryTtl : Duration.ofNanos(1))
                .executor(loader)
                .buildAsync();
        this.lastKnownGood = new LastKnownGood(onNewer);
    }

    public Read read(String environment) {
        FlagNames.requireEnvironment(environment);
        CompletableFuture<Loaded> present = memory.getIfPresent(environment);
        if (memoryEnabled && present != null && present.isDone() && !present.isCompletedExceptionally()) {
            Loaded loaded = present.join();
            if (memoryTrusted || loaded.youngerThan(SUSPECT_TTL)) {
                return metrics.served(newest(new Read(loaded.read().snapshot(), Source.MEMORY)));
            }
            // Removes only this copy, never a load another request has just started.
            memory.asMap().remove(environment, present);
        }
        try {
            return metrics.served(newest(memory.get(environment, this::load).join().read()));
        } catch (CompletionException e) {
            Optional<EncodedSnapshot> stale = lastKnownGood.get(environment);
            if (stale.isEmpty()) {
                metrics.unavailable();
                throw new NoSourceAvailableException(environment, e.getCause());
            }
            LOG.warn("serving stale version {} of {}: {}", stale.get().version(), environment, e.getCause().toString());
            return metrics.served(new Read(stale.get(), Source.STALE));
        }
    }

    /** Drops the in-memory copy, e.g. when a change notification arrives. */
    public void invalidate(String environment) {
        memory.synchronous().invalidate(environment);
    }

    /** Seeds the last known good copies, e.g. from the disk backup at start; never served while a store answers. */
    public void restore(EncodedSnapshot snapshot) {
        lastKnownGood.restore(snapshot);
    }

    /** Every environment this instance has served (or restored) and the newest version it has of each. */
    public Map<String, Long> servedVersions() {
        return lastKnownGood.versions();
    }

    /** How many environments this instance could answer for even with both stores down. */
    public int knownEnvironments() {
        return lastKnownGood.size();
    }

    @Override
    public void changed(ChangeNotice change) {
        announced.merge(change.environment(), change.version(), Math::max);
        invalidate(change.environment());
    }

    @Override
    public void subscribed() {
        // Anything may have changed while no notification could arrive.
        memory.synchronous().invalidateAll();
        memoryTrusted = true;
    }

    @Override
    public void unsubscribed() {
        memoryTrusted = false;
    }

    private Loaded load(String environment) {
        return new Loaded(loadRead(environment), System.nanoTime());
    }

    private Read loadRead(String environment) {
        Optional<EncodedSnapshot> cached = redis.get(environment);
        long floor = Math.max(announced.getOrDefault(environment, -1L), lastKnownGood.version(environment));
        if (cached.isPresent() && cached.get().version() >= floor) {
            return remember(new Read(cached.get(), Source.REDIS));
        }
        if (cached.isPresent()) {
            LOG.info("Redis holds version {} of {}, older than the {} already seen; reading PostgreSQL",
                    cached.get().version(), environment, floor);
        }
        EncodedSnapshot fresh = FlagJson.encode(guard.database(() -> database.load(environment)));
        return remember(new Read(redis.fill(fresh), Source.DATABASE));
    }

    /**
     * Two loads of one environment overlap when a notice drops the first while it runs; the one
     * whose query ran first (the older version) can finish last and stay in memory. Serving the
     * newest snapshot this instance has instead keeps a reader that already had the newer one
     * from being sent back (bin/chaos found it during a Redis outage).
     */
    private Read newest(Read read) {
        return lastKnownGood.newerThan(read.snapshot())
                .map(newer -> new Read(newer, Source.MEMORY))
                .orElse(read);
    }

    private Read remember(Read read) {
        lastKnownGood.remember(read.snapshot());
        return read;
    }
}
