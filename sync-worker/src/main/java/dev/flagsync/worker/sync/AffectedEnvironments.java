package dev.flagsync.worker.sync;

import java.util.Set;

/**
 * The environments one change event touches, i.e. the snapshots to rewarm (or all of them, for a
 * truncate), and the event's source commit time in epoch milliseconds, -1 when not given.
 */
public record AffectedEnvironments(Set<String> environments, boolean allEnvironments, long sourceCommitMillis) {

    public AffectedEnvironments {
        environments = Set.copyOf(environments);
    }

    static AffectedEnvironments all(long sourceCommitMillis) {
        return new AffectedEnvironments(Set.of(), true, sourceCommitMillis);
    }
}
