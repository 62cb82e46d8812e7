package dev.flagsync.shared.db;

import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.FlagUpdate;
import dev.flagsync.shared.flag.Snapshot;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The source of truth: the flags table in PostgreSQL. */
public interface FlagStore {

    /** The environment's flags and version, read in one consistent snapshot of the database. */
    Snapshot load(String environment);

    /** Creates or replaces a flag and returns it as stored. */
    Flag upsert(String environment, String key, FlagUpdate update);

    /** Deletes a flag; false when there was none. */
    boolean delete(String environment, String key);

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
}
