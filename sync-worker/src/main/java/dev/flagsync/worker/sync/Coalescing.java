package dev.flagsync.worker.sync;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * When the sync applies what it polled. Changes that come slower than one per
 * {@link #SPACING} are applied at once, each on its own; faster ones are a burst, and a burst
 * is applied at most once per window (SYNC_COALESCE_MS), so 10,000 writes in a few seconds cost
 * tens of rewarms, not thousands. Counting is per message, so a transaction of more than
 * window / spacing rows right after another change also counts as a burst. Pure, so the policy is
 * unit-tested; times are {@link System#nanoTime()} values.
 */
final class Coalescing {

    /** Changes closer together than this, on average over one window, are a burst. */
    static final Duration SPACING = Duration.ofMillis(10);

    private final long window;
    private final int burst;
    /** Arrival times of the latest messages, at most {@link #burst} + 1 of them. */
    private final ArrayDeque<Long> arrivals = new ArrayDeque<>();
    private long lastApplied = Long.MIN_VALUE;

    Coalescing(Duration window) {
        this.window = window.toNanos();
        this.burst = (int) (window.toNanos() / SPACING.toNanos());
    }

    /** A poll returned {@code messages} messages at {@code now}. */
    void arrived(int messages, long now) {
        for (int i = 0; i < Math.min(messages, burst + 1); i++) {
            arrivals.addLast(now);
        }
        while (arrivals.size() > burst + 1) {
            arrivals.removeFirst();
        }
    }

    /** When what has been polled should be applied: now, or during a burst one window after the last apply. */
    long applyAt(long now) {
        if (window == 0 || lastApplied == Long.MIN_VALUE || !inBurst(now)) {
            return now;
        }
        return Math.max(now, lastApplied + window);
    }

    /** More than {@code burst} messages arrived within the last window. */
    boolean inBurst(long now) {
        return arrivals.size() > burst && now - arrivals.peekFirst() <= window;
    }

    void applied(long now) {
        lastApplied = now;
    }
}
