package dev.flagsync.localstack;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a server to become ready: "start" must only return once clients can connect. */
final class Poll {

    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private Poll() {
    }

    static void until(String what, Duration timeout, BooleanSupplier ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new ServerException(what + " was not ready after " + timeout.toSeconds() + " s");
            }
            LockSupport.parkNanos(INTERVAL_NANOS);
            if (Thread.currentThread().isInterrupted()) {
                throw new ServerException("interrupted while waiting for " + what);
            }
        }
    }
}
