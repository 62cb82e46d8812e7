package dev.flagsync.shared.db;

import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.FlagUpdate;
import dev.flagsync.shared.flag.SegmentUpdate;
import dev.flagsync.shared.flag.Snapshot;
import dev.flagsync.shared.flag.StoredSegment;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The source of truth: the flags and segments tables in PostgreSQL. The methods past
 * {@link #delete(String, String)} default to refusing, so small stand-ins in tests need not
 * implement what they never use.
 */
public interface FlagStore {

    /** The environment's flags, segments and version, read in one consistent snapshot of the database. */
    Snapshot load(String environment);

    /** Creates or replaces a flag and returns it as stored. */
    default Flag upsert(String environment, String key, FlagUpdate update) {
        return upsert(environment, key, update, WriteCheck.NONE);
    }

    /** Creates or replaces a flag once {@code check} accepted it against the environment as stored. */
    default Flag upsert(String environment, String key, FlagUpdate update, WriteCheck check) {
        throw unsupported();
    }

    /** Deletes a flag; false when there was none. */
    default boolean delete(String environment, String key) {
        return delete(environment, key, WriteCheck.NONE);
    }

    /** Deletes a flag once {@code check} accepted it; false when there was none. */
    default boolean delete(String environment, String key, WriteCheck check) {
        throw unsupported();
    }

    /** The environment's segments with their descriptions and times, by id. */
    default List<StoredSegment> segments(String environment) {
        throw unsupported();
    }

    default Optional<StoredSegment> segment(String environment, int id) {
        return segments(environment).stream().filter(segment -> segment.id() == id).findFirst();
    }

    /** Creates or replaces a segment once {@code check} accepted it, and returns it as stored. */
    default StoredSegment upsertSegment(String environment, int id, SegmentUpdate update, WriteCheck check) {
        throw unsupported();
    }

    /** Deletes a segment once {@code check} accepted it; false when there was none. */
    default boolean deleteSegment(String environment, int id, WriteCheck check) {
        throw unsupported();
    }

    /**
     * Runs {@code work} in one transaction that holds the environment's admin-write lock (as a
     * checked write does): it gets the environment as stored and a store whose writes join the
     * transaction, so everything it writes commits together or not at all. Throwing rolls back.
     */
    default <T> T inTransaction(String environment, BiFunction<Snapshot, FlagStore, T> work) {
        throw unsupported();
    }

    /** The current version of every environment that was ever written. */
    Map<String, Long> versions();

    /**
     * The current versions of these environments, in one query; environments never written are
     * absent. The default filters {@link #versions()}, for small stand-ins in tests.
     */
    default Map<String, Long> versions(Collection<String> environments) {
        Map<String, Long> all = new HashMap<>(versions());
        all.keySet().retainAll(Set.copyOf(environments));
        return all;
    }

    /**
     * This store with every write made in a transaction that names {@code actor} to the audit
     * log. Stores that cannot record an actor refuse, rather than write unattributed.
     */
    default FlagStore actingAs(Actor actor) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot record an actor");
    }

    private UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException(getClass().getSimpleName() + " does not write");
    }
}
