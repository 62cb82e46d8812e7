package dev.flagsync.api.read;

import com.github.benmanes.caffeine.cache.AsyncCache;
import dev.flagsync.api.changes.Change;
import dev.flagsync.api.changes.ChangeSubscriber;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.flagsync.shared.cache.SnapshotCache;
import dev.flagsync.shared.db.FlagStore;
import dev.flagsync.shared.flag.EncodedSnapshot;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.FlagNames;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read path: memory, then Redis, then PostgreSQL, then the last known good copy.
 * Concurrent misses for one environment share a single load (Caffeine's async cache holds
 * the in-flight future), and a database read fills Redis through the compare-and-set.
 * Change notifications drop the memory copy; while they cannot be received, memory copies
 * are served only for {@link #SUSPECT_TTL}, so a missed notification costs little.
 */
public final class FlagReader implements ChangeSubscriber.Listener {

    static final Duration SUSPECT_TTL = Duration.ofMillis(250);

    private static final Logger LOG = LoggerFactory.getLogger(FlagReader.class);

    private final SnapshotCache redis;
    private final FlagStore database;
    private final Guard guard;
    private final ReadMetrics metrics;
    private final AsyncCache<String, Loaded> memory;
    private final Cache<String, EncodedSnapshot> lastKnownGood;
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
        this.redis = redis;
        this.database = database;
        this.guard = guard;
        this.metrics = new ReadMetrics(registry);
        this.memoryEnabled = !memoryTtl.isZero();
        // A zero TTL still coalesces concurrent misses: the future lives until it completes.
        this.memory = Caffeine.newBuilder()
                .maximumSize(10_000)
                .expireAfterWrite(memoryEnabled ? memoryTtl : Duration.ofNanos(1))
                .executor(loader)
                .buildAsync();
        this.lastKnownGood = Caffeine.newBuilder().maximumSize(10_000).build();
    }

    public Read read(String environment) {
        FlagNames.requireEnvironment(environment);
        CompletableFuture<Loaded> present = memory.getIfPresent(environment);
        if (memoryEnabled && present != null && present.isDone() && !present.isCompletedExceptionally()) {
            Loaded loaded = present.join();
            if (memoryTrusted || loaded.youngerThan(SUSPECT_TTL)) {
                return metrics.served(new Read(loaded.read().snapshot(), Source.MEMORY));
            }
            // Removes only this copy, never a load another request has just started.
            memory.asMap().remove(environment, present);
        }
        try {
            return metrics.served(memory.get(environment, this::load).join().read());
        } catch (CompletionException e) {
            EncodedSnapshot stale = lastKnownGood.getIfPresent(environment);
            if (stale == null) {
                metrics.unavailable();
                throw new NoSourceAvailableException(environment, e.getCause());
            }
            LOG.warn("serving stale version {} of {}: {}", stale.version(), environment, e.getCause().toString());
            return metrics.served(new Read(stale, Source.STALE));
        }
    }

    /** Drops the in-memory copy, e.g. when a change notification arrives. */
    public void invalidate(String environment) {
        memory.synchronous().invalidate(environment);
    }

    @Override
    public void changed(Change change) {
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
        Optional<EncodedSnapshot> cached = fromRedis(environment);
        if (cached.isPresent()) {
            return remember(new Read(cached.get(), Source.REDIS));
        }
        EncodedSnapshot fresh = FlagJson.encode(guard.database(() -> database.load(environment)));
        return remember(new Read(fill(fresh), Source.DATABASE));
    }

    private Optional<EncodedSnapshot> fromRedis(String environment) {
        try {
            return guard.redis(() -> redis.get(environment));
        } catch (RuntimeException e) {
            metrics.fallback("redis", "database");
            LOG.debug("Redis read of {} failed, falling back to PostgreSQL: {}", environment, e.toString());
            return Optional.empty();
        }
    }

    /**
     * Writes a database read to Redis unless Redis already has a newer version, in which
     * case that newer copy is served instead. Never-written environments are not cached in
     * Redis, so requests for made-up names cannot fill it.
     */
    private EncodedSnapshot fill(EncodedSnapshot fresh) {
        if (fresh.version() == 0) {
            return fresh;
        }
        try {
            if (guard.redis(() -> redis.putIfNewer(fresh))) {
                return fresh;
            }
            return guard.redis(() -> redis.get(fresh.environment())).orElse(fresh);
        } catch (RuntimeException e) {
            LOG.debug("could not fill Redis with {} version {}: {}", fresh.environment(), fresh.version(), e.toString());
            return fresh;
        }
    }

    private Read remember(Read read) {
        lastKnownGood.asMap().merge(read.snapshot().environment(), read.snapshot(),
                (old, candidate) -> candidate.version() >= old.version() ? candidate : old);
        return read;
    }
}
