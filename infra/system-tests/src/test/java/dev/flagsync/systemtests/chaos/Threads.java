package dev.flagsync.systemtests.chaos;

import java.time.Duration;
import java.util.List;

/** The load's threads end when told to; this waits for them, each at most {@code each}. */
final class Threads {

    private Threads() {
    }

    static void joinAll(List<Thread> threads, Duration each) {
        for (Thread thread : threads) {
            try {
                thread.join(each);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
