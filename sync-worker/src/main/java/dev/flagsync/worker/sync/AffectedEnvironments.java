package dev.flagsync.worker.sync;

import java.util.Set;

/**
 * What one change event means for the cache: the environments to rewarm (or all of them,
 * for a truncate) and the source commit time in epoch milliseconds, -1 when not given.
 */
public record Change(Set<String> environments, boolean allEnvironments, long sourceCommitMillis) {

    public Change {
        environments = Set.copyOf(environments);
    }

    static Change all(long sourceCommitMillis) {
        return new Change(Set.of(), true, sourceCommitMillis);
    }
}
