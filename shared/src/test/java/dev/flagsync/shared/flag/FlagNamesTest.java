package dev.flagsync.shared.flag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FlagNamesTest {

    @Test
    void acceptsContractEnvironments() {
        assertThat(FlagNames.isEnvironment("production")).isTrue();
        assertThat(FlagNames.isEnvironment("eu-west_1")).isTrue();
        assertThat(FlagNames.isEnvironment("a".repeat(63))).isTrue();
    }

    @Test
    void rejectsMalformedEnvironments() {
        assertThat(FlagNames.isEnvironment("Production")).isFalse();
        assertThat(FlagNames.isEnvironment("-prod")).isFalse();
        assertThat(FlagNames.isEnvironment("a".repeat(64))).isFalse();
        assertThat(FlagNames.isEnvironment("")).isFalse();
        assertThat(FlagNames.isEnvironment(null)).isFalse();
        assertThat(FlagNames.isEnvironment("prod\n")).isFalse();
    }

    @Test
    void acceptsAndRejectsKeys() {
        assertThat(FlagNames.isKey("New.Checkout_v2-b")).isTrue();
        assertThat(FlagNames.isKey("a".repeat(128))).isTrue();
        assertThat(FlagNames.isKey("a".repeat(129))).isFalse();
        assertThat(FlagNames.isKey(".hidden")).isFalse();
        assertThat(FlagNames.isKey("with space")).isFalse();
    }

    @Test
    void errorNamesTheRuleAndTruncatesLongInput() {
        assertThatThrownBy(() -> FlagNames.requireKey("x".repeat(500)))
                .isInstanceOf(InvalidFlagException.class)
                .hasMessageContaining("flag key must match")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(200));
    }
}
