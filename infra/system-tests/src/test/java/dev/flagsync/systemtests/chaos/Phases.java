package dev.flagsync.systemtests.chaos;

import dev.flagsync.localstack.LoadAverage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The phases of a run in order; readers and the writer count into the one running now. */
final class Phases {

    private final List<Phase> all = new CopyOnWriteArrayList<>();
    private volatile Phase current;

    Phases(String first) {
        begin(first);
    }

    Phase begin(String name) {
        Phase phase = new Phase(name);
        phase.startNanos = System.nanoTime();
        phase.loadAtStart = LoadAverage.oneMinute();
        all.add(phase);
        current = phase;
        return phase;
    }

    Phase current() {
        return current;
    }

    /** The index of the current phase, for the ledger. */
    int index() {
        return all.indexOf(current);
    }

    List<Phase> all() {
        return List.copyOf(all);
    }
}
