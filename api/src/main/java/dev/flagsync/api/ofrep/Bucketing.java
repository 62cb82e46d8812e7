package dev.flagsync.api.ofrep;

import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * Places a targeting key in one of 100 buckets per flag, the same way Unleash SDKs
 * normalise ({@code normalizedValue(id, groupId)} with seed 0), so a flagsync rollout and an
 * Unleash gradual rollout with groupId = flag key agree on who is in.
 */
public final class Bucketing {

    private static final int BUCKETS = 100;

    private Bucketing() {
    }

    /** A bucket from 1 to 100: {@code murmur3_x86_32(utf8(flagKey + ":" + targetingKey), 0)} unsigned, mod 100, plus 1. */
    public static int bucket(String flagKey, String targetingKey) {
        byte[] input = (flagKey + ":" + targetingKey).getBytes(StandardCharsets.UTF_8);
        // Unleash treats the 32-bit hash as unsigned; a signed int would give negative buckets.
        long hash = Integer.toUnsignedLong(MurmurHash3.hash32x86(input));
        return (int) (hash % BUCKETS) + 1;
    }
}
