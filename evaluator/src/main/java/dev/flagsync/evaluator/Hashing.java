package dev.flagsync.evaluator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * Unleash's normalisation: {@code murmur3_x86_32("<groupId>:<id>", seed)} as unsigned, modulo n,
 * plus 1. Strategies use seed 0 and n = 100; variants seed 86028157 and n = their total weight.
 * The string is hashed as UTF-8, as Unleash's Rust engine yggdrasil and its Java SDK do
 * (docs/flags.md, "Hashing"); the Node SDK differs for non-ASCII ids.
 */
public final class Hashing {

    public static final int STRATEGY_SEED = 0;
    public static final int VARIANT_SEED = 86028157;

    private Hashing() {
    }

    /** {@code normalizedValue(id, groupId, modulus, seed)}: a number from 1 to {@code modulus}. */
    public static int normalized(String groupId, String id, int modulus, int seed) {
        return group(groupId).normalized(id, modulus, seed);
    }

    /** A group whose {@code "<groupId>:"} prefix is encoded once, at compile time. */
    public static Group group(String groupId) {
        return new Group((groupId + ":").getBytes(StandardCharsets.UTF_8));
    }

    /** The encoded {@code "<groupId>:"} prefix of one strategy's or one flag's hash input. */
    public static final class Group {
        private final byte[] prefix;

        private Group(byte[] prefix) {
            this.prefix = prefix;
        }

        public int normalized(String id, int modulus, int seed) {
            byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
            byte[] input = Arrays.copyOf(prefix, prefix.length + idBytes.length);
            System.arraycopy(idBytes, 0, input, prefix.length, idBytes.length);
            // Unleash reads the 32-bit hash as unsigned; a signed remainder would go negative.
            return Integer.remainderUnsigned(MurmurHash3.hash32x86(input, 0, input.length, seed), modulus) + 1;
        }

        /** The strategy bucket, 1 to 100. */
        public int bucket(String id) {
            return normalized(id, 100, STRATEGY_SEED);
        }
    }
}
