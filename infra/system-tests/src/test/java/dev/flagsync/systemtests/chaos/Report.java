package dev.flagsync.systemtests.chaos;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The figures of a run, per phase, as Markdown tables (they go into docs/reliability.md as printed).
 * Commit to reader: for each change, from the moment its COMMIT returned to the writer to the
 * first moment any reader (a GET answer or an SSE frame) carried its version or a later one.
 */
final class Report {

    private final List<Phase> phases;
    private final List<Ledger.Commit> commits;
    private final Sightings sightings;
    private final Set<Long> captured;

    /** @param captured the transaction ids found on the change topic */
    Report(List<Phase> phases, List<Ledger.Commit> commits, Sightings sightings, Set<Long> captured) {
        this.phases = phases;
        this.commits = commits;
        this.sightings = sightings;
        this.captured = captured;
    }

    /** Changes never seen by a reader, or missing from the change topic. */
    long lost(int phase) {
        return ofPhase(phase).stream().filter(this::lost).count();
    }

    long lost() {
        return commits.stream().filter(this::lost).count();
    }

    private boolean lost(Ledger.Commit commit) {
        return sightings.firstAtLeast(commit.environment(), commit.version()).isEmpty()
                || !captured.contains(commit.xid());
    }

    void print(PrintStream out) {
        out.println("| phase | changes | reads | 5xx | no answer | other failures | commit → reader p50 / p99 / max (ms)"
                + " | caught up after restore (s) | lost | load 1 min (start → end) |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (int i = 0; i < phases.size(); i++) {
            Phase phase = phases.get(i);
            long[] lags = lagsMillis(i);
            out.printf("| %s | %d | %d | %d | %d | %d | %s | %s | %d | %.2f → %.2f |%n", phase.name, ofPhase(i).size(),
                    phase.reads.sum(), phase.serverErrors.sum(), phase.unanswered.sum(),
                    phase.unexpected.sum() + phase.backwards.sum(), percentiles(lags), caughtUp(phase), lost(i),
                    phase.loadAtStart, phase.loadAtEnd);
        }
        out.println();
        out.println("| phase | duration (s) | answered from | slowest read (ms) | SSE frames | SSE reconnects"
                + " | /health/live not 200 | notes |");
        out.println("|---|---:|---|---:|---:|---:|---|---|");
        for (Phase phase : phases) {
            out.printf("| %s | %.1f | %s | %d | %d | %d | %s | %s |%n", phase.name, seconds(phase.endNanos - phase.startNanos),
                    counts(phase.sources), TimeUnit.NANOSECONDS.toMillis(phase.slowestReadNanos.get()),
                    phase.sseFrames.sum(), phase.sseReconnects.sum(), counts(phase.liveFailures),
                    phase.notes.isEmpty() ? "" : phase.notes.entrySet().stream()
                            .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("; ")));
        }
    }

    private List<Ledger.Commit> ofPhase(int phase) {
        return commits.stream().filter(c -> c.phase() == phase).toList();
    }

    /** Commit-to-reader times of the phase's changes with a known commit time that were seen, sorted. */
    private long[] lagsMillis(int phase) {
        return ofPhase(phase).stream().filter(Ledger.Commit::timed).mapToLong(commit -> {
            OptionalLong seen = sightings.firstAtLeast(commit.environment(), commit.version());
            return seen.isEmpty() ? -1 : Math.max(0, TimeUnit.NANOSECONDS.toMillis(seen.getAsLong() - commit.committedNanos()));
        }).filter(lag -> lag >= 0).sorted().toArray();
    }

    private static String percentiles(long[] sorted) {
        if (sorted.length == 0) {
            return "-";
        }
        return at(sorted, 0.50) + " / " + at(sorted, 0.99) + " / " + sorted[sorted.length - 1];
    }

    private static long at(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    }

    private static String caughtUp(Phase phase) {
        if (phase.restoredNanos == 0) {
            return "-";
        }
        String after = String.format("%.1f", seconds(phase.endNanos - phase.restoredNanos));
        return phase.caughtUp ? after : "not within " + after;
    }

    private static String counts(Map<String, ? extends Number> counts) {
        return counts.isEmpty() ? "-" : counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
