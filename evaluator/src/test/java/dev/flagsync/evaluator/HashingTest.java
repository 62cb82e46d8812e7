package dev.flagsync.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HashingTest {

    /*
     * The cross-SDK vectors of Unleash's Java SDK (src/test/java/io/getunleash/strategy/
     * StrategyUtilsTest.java before 10.0: "normalized_values_are_the_same_across_node_java_and_go_clients"
     * and "..._with_variant_seed_are_the_same_across_node_java"), also asserted by the Node SDK.
     */
    @ParameterizedTest(name = "normalized(\"{0}\", \"{1}\", seed {2}) = {3}")
    @CsvSource({
            "gr1,    123, 0,        73",
            "groupX, 999, 0,        25",
            "gr1,    123, 86028157, 96",
            "groupX, 999, 86028157, 60",
    })
    void matchesUnleashCrossSdkVectors(String groupId, String id, int seed, int expected) {
        assertThat(Hashing.normalized(groupId, id, 100, seed)).isEqualTo(expected);
    }

    /*
     * Non-ASCII ids are hashed as UTF-8 (yggdrasil, and the Java SDK; docs/flags.md "Hashing").
     * Expected values computed with murmurhash3js 3.0.1 (the Node SDK's own murmur) fed the UTF-8
     * bytes of "<group>:<id>" as a binary string, so an independent implementation; the Node SDK
     * itself, which hashes the low byte of each UTF-16 unit, gives the value in the last column.
     */
    @ParameterizedTest(name = "\"{0}:{1}\" -> bucket {2} (Node SDK: {3})")
    @CsvSource({
            "new-checkout, Øyvind,      13, 20",
            "new-checkout, 用户42,       83, 26",
            "flag,         jürgen-用户,  66, 95",
            "new-checkout, 😊,          25, 31",
    })
    void hashesNonAsciiIdsAsUtf8(String groupId, String id, int utf8Bucket, int nodeBucket) {
        assertThat(Hashing.group(groupId).bucket(id)).isEqualTo(utf8Bucket).isNotEqualTo(nodeBucket);
    }

    @Test
    void variantHashOfNonAsciiIdUsesTheVariantSeed() {
        // murmurhash3js over UTF-8 bytes, seed 86028157, % 1000 + 1.
        assertThat(Hashing.normalized("new-checkout", "Øyvind", 1000, Hashing.VARIANT_SEED)).isEqualTo(789);
        assertThat(Hashing.normalized("new-checkout", "用户42", 1000, Hashing.VARIANT_SEED)).isEqualTo(982);
    }

    @Test
    void bucketsStayBetweenOneAndTheModulusForHashesWithTheTopBitSet() {
        Hashing.Group group = Hashing.group("checkout");
        assertThat(IntStream.range(0, 10_000).map(i -> group.bucket("user-" + i)))
                .allSatisfy(bucket -> assertThat(bucket).isBetween(1, 100));
        assertThat(IntStream.range(0, 10_000).map(i -> group.normalized("user-" + i, 7, Hashing.VARIANT_SEED)))
                .allSatisfy(bucket -> assertThat(bucket).isBetween(1, 7));
    }

    @Test
    void spreadsIdsEvenlyEnoughForPercentages() {
        int[] counts = new int[101];
        Hashing.Group group = Hashing.group("checkout");
        IntStream.range(0, 100_000).forEach(i -> counts[group.bucket("user-" + i)]++);
        // 1,000 expected per bucket; murmur3 keeps each well within +-20 %.
        assertThat(IntStream.rangeClosed(1, 100).map(b -> counts[b])).allSatisfy(
                count -> assertThat(count).isBetween(800, 1200));
    }
}
