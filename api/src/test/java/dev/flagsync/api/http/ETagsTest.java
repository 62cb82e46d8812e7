package dev.flagsync.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ETagsTest {

    @Test
    void matchesExactWeakListedAndStar() {
        String etag = ETags.of(42);
        assertThat(etag).isEqualTo("\"42\"");
        assertThat(ETags.matches("\"42\"", etag)).isTrue();
        assertThat(ETags.matches("W/\"42\"", etag)).isTrue();
        assertThat(ETags.matches("\"1\", \"42\"", etag)).isTrue();
        assertThat(ETags.matches("*", etag)).isTrue();
    }

    @Test
    void doesNotMatchOtherOrMissingTags() {
        assertThat(ETags.matches(null, ETags.of(42))).isFalse();
        assertThat(ETags.matches("\"421\"", ETags.of(42))).isFalse();
        assertThat(ETags.matches("42", ETags.of(42))).isFalse();
    }
}
