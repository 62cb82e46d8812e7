package dev.flagsync.api.unleash;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientSpecTest {

    @Test
    void readsSegmentsFromClientSpecFourTwoOn() {
        assertThat(ClientSpec.readsSegments("4.2.0")).isTrue();
        assertThat(ClientSpec.readsSegments("5.2.0")).isTrue();
        assertThat(ClientSpec.readsSegments("10.0.0-beta.1")).isTrue();
        assertThat(ClientSpec.readsSegments(" 4.3 ")).isTrue();
    }

    @Test
    void inlinesForOlderMissingOrUnreadableVersions() {
        assertThat(ClientSpec.readsSegments("4.1.9")).isFalse();
        assertThat(ClientSpec.readsSegments("3.9.0")).isFalse();
        assertThat(ClientSpec.readsSegments(null)).isFalse();
        assertThat(ClientSpec.readsSegments("")).isFalse();
        assertThat(ClientSpec.readsSegments("five")).isFalse();
        assertThat(ClientSpec.readsSegments("99999999999.0.0")).isFalse();
    }
}
