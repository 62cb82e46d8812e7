package dev.flagsync.shared.lifecycle;

import java.time.Duration;

/**
 * How long to wait after the n-th failure in a row: {@code initial}, doubling up to {@code max}.
 * A policy only computes delays; waiting and stopping belong to the {@link Loop}.
 */
public record BackoffPolicy(Duration initial, Duration max) {

    public BackoffPolicy {
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 <= initial <= max, got " + initial + " and " + max);
        }
    }

    public static BackoffPolicy exponential(Duration initial, Duration max) {
        return new BackoffPolicy(initial, max);
    }

    /** The delay after {@code failures} failures in a row (1 for the first). */
    public Duration delay(long failures) {
        if (failures <= 1) {
            return initial;
        }
        // Doubling 62 times overflows a long of nanoseconds; max is reached long before.
        int doublings = (int) Math.min(failures - 1, 40);
        Duration delay = initial;
        for (int i = 0; i < doublings && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
