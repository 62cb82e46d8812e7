package dev.flagsync.worker.sync;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One poll's worth of changes, coalesced: each environment is rewarmed once per batch however
 * many of its rows changed. Pure, so the coalescing is unit-tested.
 */
final class Batch {

    private final Set<String> environments = new LinkedHashSet<>();
    private final List<AffectedEnvironments> changes = new ArrayList<>();
    private final Set<Long> transactions = new LinkedHashSet<>();
    private boolean allEnvironments;

    void add(AffectedEnvironments change) {
        changes.add(change);
        environments.addAll(change.environments());
        allEnvironments |= change.allEnvironments();
        if (change.transactionId() > 0) {
            transactions.add(change.transactionId());
        }
    }

    /** The transactions the changes came from, where the events name them: all must be visible before a rewarm. */
    Set<Long> transactionIds() {
        return Set.copyOf(transactions);
    }

    boolean isEmpty() {
        return changes.isEmpty();
    }

    boolean allEnvironments() {
        return allEnvironments;
    }

    /** The environments to rewarm, given every environment the database knows (used after a truncate). */
    Set<String> targets(Set<String> known) {
        Set<String> targets = new LinkedHashSet<>(environments);
        if (allEnvironments) {
            targets.addAll(known);
        }
        return targets;
    }

    /**
     * Each change's source commit time paired with when its last environment was rewarmed,
     * for the propagation-delay histogram; changes without a commit time are left out.
     */
    List<long[]> delays(Map<String, Long> rewarmedAt, long batchDoneAt) {
        List<long[]> delays = new ArrayList<>();
        for (AffectedEnvironments change : changes) {
            if (change.sourceCommitMillis() <= 0) {
                continue;
            }
            long done = change.allEnvironments() ? batchDoneAt : change.environments().stream()
                    .mapToLong(env -> rewarmedAt.getOrDefault(env, batchDoneAt)).max().orElse(batchDoneAt);
            delays.add(new long[] {change.sourceCommitMillis(), done});
        }
        return delays;
    }
}
