package dev.flagsync.systemtests.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Every change the writer knows to be committed, and the newest version of each environment. */
final class Ledger {

    /** The commit time of a change whose COMMIT got no answer and was found committed afterwards. */
    static final long UNKNOWN = Long.MIN_VALUE;

    /**
     * One committed change.
     *
     * @param version        the environment's version it produced (read in its own transaction)
     * @param txid           its transaction id ({@code txid_current()}, with the epoch)
     * @param committedNanos System.nanoTime when COMMIT returned to the writer, or {@link #UNKNOWN}
     * @param phase          the phase running at that moment
     */
    record Commit(String environment, long version, long txid, long committedNanos, int phase) {
        boolean timed() {
            return committedNanos != UNKNOWN;
        }

        /** The transaction id as change capture reports it ({@code source.txId}): without the epoch. */
        long xid() {
            return txid & 0xFFFF_FFFFL;
        }
    }

    private final List<Commit> commits = new ArrayList<>();
    private final Map<String, Long> latest = new ConcurrentHashMap<>();

    synchronized void add(Commit commit) {
        commits.add(commit);
        latest.merge(commit.environment(), commit.version(), Math::max);
    }

    synchronized List<Commit> commits() {
        return List.copyOf(commits);
    }

    /** The newest committed version of each environment written so far. */
    Map<String, Long> latest() {
        return Map.copyOf(latest);
    }
}
