package dev.flagsync.worker.sync;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * When the sync applies what it polled. Changes that come slower than one per
 * {@link #SPACING} are applied at once, each on its own; faster ones are a burst, and a burst
 * is applied at most once per window (SYNC_COALESCE_MS), so 10,000 writes in a few seconds cost
 * tens of rewarms, not thousands. A burst that goes on widens the window by half at each apply,
 * up to {@link #MAX_STRETCH} times SYNC_COALESCE_MS, so a long one (a slow writer, a loaded
 * machine) costs about one rewarm per five windows, two a second at the default; a lone change after a quiet spell is applied at
 * once, as ever. Counting is per message, so a transaction of more than window / spacing rows right
 * after another change also counts as a burst. Pure, so the policy is unit-tested; times are
 * {@link System#nanoTime()} values.
 */
final class Coalescing {

    /** Changes closer together than this, on average over one window, are a burst. */
    static final Duration SPACING = Duration.ofMillis(10);
    /** How far a long burst stretches the window. */
    static final double MAX_STRETCH = 5;

    private final long window;
    private final int burst;
    /** Arrival times of the latest messages, at most {@link #burst} + 1 of them. */
    private final ArrayDeque<Long> arrivals = new ArrayDeque<>();
    private long lastApplied = Long.MIN_VALUE;
    private long current;
    private long lastBurstApply = Long.MIN_VALUE;

    Coalescing(Duration window) {
        this.window = window.toNanos();
        this.current = this.window;
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
        return Math.max(now, lastApplied + current);
    }

    /** More than {@code burst} messages arrived within the last window. */
    boolean inBurst(long now) {
        return arrivals.size() > burst && now - arrivals.peekFirst() <= window;
    }

    /**
     * The batch was applied at {@code now}: a burst's next window is wider; it narrows back only
     * once no burst has been applied for a whole (wide) window, so a burst that comes in clumps (a
     * loaded machine, a writer that pauses) keeps its wide window between them.
     */
    void applied(long now) {
        if (inBurst(now)) {
            current = Math.min((long) (window * MAX_STRETCH), current + current / 2);
            lastBurstApply = now;
        } else if (lastBurstApply == Long.MIN_VALUE || now - lastBurstApply > current) {
            current = window;
        }
        lastApplied = now;
    }

    /**
     * How long a burst's batch may see nothing before it is applied without waiting out the rest
     * of its window (nanoseconds): one base window, so the end of a burst costs at most that.
     */
    long quietSpell() {
        return window;
    }

    /** The window the next apply of a burst waits for (nanoseconds). */
    long window() {
        return current;
    }
}
