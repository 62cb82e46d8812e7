package dev.flagsync.worker;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Exponential backoff for loops that must not die, doubling from {@code initial} up to
 * {@code max}. Waits end early when {@link #cancel()} is called, so closing never waits out a delay.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private Duration next;

    public Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** The delay the next {@link #pause()} will wait. */
    public Duration nextDelay() {
        return next;
    }

    /** Waits the current delay and doubles it; false when cancelled (the caller should stop). */
    public boolean pause() {
        Duration delay = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return waitFor(delay);
    }

    /** Waits a fixed time, e.g. a schedule's interval; false when cancelled. */
    public boolean waitFor(Duration delay) {
        try {
            return !cancelled.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public void reset() {
        next = initial;
    }

    public void cancel() {
        cancelled.countDown();
    }

    public boolean isCancelled() {
        return cancelled.getCount() == 0;
    }
}
