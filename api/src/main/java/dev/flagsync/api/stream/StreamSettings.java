package dev.flagsync.api.stream;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Limits of the SSE endpoint: connection cap, heartbeat interval, and lifetime (jittered ±10 %). */
public record StreamSettings(int maxConnections, Duration heartbeat, Duration maxLifetime) {

    /** A lifetime spread over [0.9, 1.1] of the maximum, so clients reconnect spread out after a restart. */
    Duration jitteredLifetime() {
        long millis = maxLifetime.toMillis();
        return Duration.ofMillis(millis - millis / 10 + ThreadLocalRandom.current().nextLong(millis / 5 + 1));
    }
}
