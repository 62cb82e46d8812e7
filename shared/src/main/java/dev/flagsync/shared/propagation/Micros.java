package dev.flagsync.shared.propagation;

import java.time.Instant;

/**
 * Wall-clock time in epoch microseconds, the unit of Debezium's {@code source.ts_us}, for stages
 * that cross processes. Such a stage is only as exact as the hosts' clocks agree (NTP keeps them
 * within a millisecond or so); stages inside one process use {@link System#nanoTime()}.
 */
public final class Micros {

    private Micros() {
    }

    public static long now() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }
}
