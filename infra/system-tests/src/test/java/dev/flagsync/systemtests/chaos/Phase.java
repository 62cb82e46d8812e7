package dev.flagsync.systemtests.chaos;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One fault (or the baseline) and what the readers met while it ran, from its injection until
 * every change committed up to its end had reached readers.
 */
final class Phase {

    final String name;
    final LongAdder reads = new LongAdder();
    /** 5xx answers to valid reads (GETs and stream connects): failures. */
    final LongAdder serverErrors = new LongAdder();
    /** Valid reads that got no answer within {@link Http#READ_TIMEOUT} (refused, reset, timed out): failures. */
    final LongAdder unanswered = new LongAdder();
    /** Other unexpected answers to valid reads (a 4xx, a body without a version): failures. */
    final LongAdder unexpected = new LongAdder();
    /** Answers older than one the same reader already had: failures (the API promises never to go back). */
    final LongAdder backwards = new LongAdder();
    final LongAdder sseFrames = new LongAdder();
    final LongAdder sseReconnects = new LongAdder();
    final Map<String, LongAdder> sources = new ConcurrentSkipListMap<>();
    /** Liveness answers other than 200, by process. */
    final Map<String, LongAdder> liveFailures = new ConcurrentHashMap<>();
    final AtomicLong slowestReadNanos = new AtomicLong();
    final Map<String, String> notes = new ConcurrentSkipListMap<>();
    long startNanos;
    long restoredNanos;
    long endNanos;
    double loadAtStart;
    double loadAtEnd;
    boolean caughtUp;

    Phase(String name) {
        this.name = name;
    }

    void read(long nanos, String source) {
        reads.increment();
        slowestReadNanos.accumulateAndGet(nanos, Math::max);
        if (source != null) {
            sources.computeIfAbsent(source, s -> new LongAdder()).increment();
        }
    }

    void liveFailure(String process) {
        liveFailures.computeIfAbsent(process, p -> new LongAdder()).increment();
    }

    long failures() {
        return serverErrors.sum() + unanswered.sum() + unexpected.sum() + backwards.sum();
    }
}
