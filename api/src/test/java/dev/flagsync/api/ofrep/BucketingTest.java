package dev.flagsync.api.ofrep;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;
import org.apache.commons.codec.digest.MurmurHash3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BucketingTest {

    /*
     * Unleash's normalizedValue(id, groupId) hashes "groupId:id", so their groupId is our flag
     * key and their id our targeting key. These exact values are the cross-SDK vectors every
     * Unleash SDK asserts: github.com/Unleash/unleash-client-java
     * src/test/java/io/getunleash/strategy/StrategyUtilsTest.java
     * ("normalized_values_are_the_same_across_node_java_and_go_clients"); the Node and Ruby
     * SDKs assert the same two.
     */
    @ParameterizedTest(name = "normalizedValue(\"{1}\", \"{0}\") = {2}")
    @CsvSource({
            "gr1,    123, 73",
            "groupX, 999, 25",
    })
    void matchesUnleashNormalizedValues(String groupId, String id, int expected) {
        assertThat(Bucketing.bucket(groupId, id)).isEqualTo(expected);
    }

    @Test
    void hashesFlagKeyBeforeTargetingKey() {
        assertThat(Bucketing.bucket("123", "gr1")).isNotEqualTo(73);
    }

    @Test
    void staysWithinOneToHundredForKeysWhoseHashIsNegativeAsSignedInt() {
        // Over 10,000 keys about half the 32-bit hashes have the top bit set; a signed
        // remainder would put those in buckets -99..0.
        assertThat(IntStream.range(0, 10_000).map(i -> Bucketing.bucket("checkout", "user-" + i)))
                .allSatisfy(bucket -> assertThat(bucket).isBetween(1, 100));
    }

    @Test
    void spreadsKeysEvenlyEnoughForPercentages() {
        int[] counts = new int[101];
        IntStream.range(0, 100_000).forEach(i -> counts[Bucketing.bucket("checkout", "user-" + i)]++);
        // 1,000 expected per bucket; murmur3 keeps each well within +-20 %.
        assertThat(IntStream.rangeClosed(1, 100).map(b -> counts[b])).allSatisfy(
                count -> assertThat(count).isBetween(800, 1200));
    }

    @Test
    void hashesNonAsciiTargetingKeysAsUtf8() {
        String key = "j\u00fcrgen-\u7528\u6237";
        byte[] utf8 = ("flag:" + key).getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = ("flag:" + key).getBytes(StandardCharsets.ISO_8859_1);
        assertThat(Bucketing.bucket("flag", key))
                .isEqualTo(Integer.remainderUnsigned(MurmurHash3.hash32x86(utf8), 100) + 1)
                .isNotEqualTo(Integer.remainderUnsigned(MurmurHash3.hash32x86(latin1), 100) + 1);
    }
}
