package dev.flagsync.evaluator;

import java.time.InstantSource;
import java.util.Locale;
import java.util.Objects;

/**
 * What the evaluating process gives the evaluator, so that it reads no global state: its own
 * hostname (for {@code applicationHostname}: on a server that is the server's host, not the
 * user's), the clock for DATE_* constraints when the context has no {@code currentTime}, and
 * randomness.
 */
public record Host(String hostname, InstantSource clock, RandomSource random) {

    public Host {
        hostname = hostname == null ? "" : hostname.toLowerCase(Locale.ROOT);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
    }

    /** The system clock and thread-local randomness, for a process whose host name is {@code hostname}. */
    public static Host system(String hostname) {
        return new Host(hostname, InstantSource.system(), RandomSource.threadLocal());
    }
}
