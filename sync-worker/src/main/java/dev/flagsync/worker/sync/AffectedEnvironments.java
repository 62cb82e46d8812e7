package dev.flagsync.worker.sync;

import java.util.Set;

/**
 * The environments one change event touches, i.e. the snapshots to rewarm (or all of them, for a
 * truncate); the event's source commit time in epoch milliseconds, -1 when not given; and the id
 * of the transaction that made the change ({@code source.txId}, PostgreSQL's 32-bit xid), -1 when
 * not given or when the change is a snapshot read, whose rows were committed before it began.
 */
public record AffectedEnvironments(Set<String> environments, boolean allEnvironments, long sourceCommitMillis,
                                   long transactionId) {

    public AffectedEnvironments {
        environments = Set.copyOf(environments);
    }

    /** A change without a transaction id. */
    public AffectedEnvironments(Set<String> environments, boolean allEnvironments, long sourceCommitMillis) {
        this(environments, allEnvironments, sourceCommitMillis, -1);
    }

    static AffectedEnvironments all(long sourceCommitMillis, long transactionId) {
        return new AffectedEnvironments(Set.of(), true, sourceCommitMillis, transactionId);
    }
}
