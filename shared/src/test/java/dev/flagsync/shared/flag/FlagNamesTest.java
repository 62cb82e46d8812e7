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
    void acceptsUnleashFlagNamesIncludingUtf8() {
        assertThat(FlagNames.isKey("New.Checkout_v2-b")).isTrue();
        // Names of the Unleash client specification's file 18 (18-utf8-flag-names.json).
        assertThat(FlagNames.isKey("Feature.UTF-8.Hell\u00f8_W\u00f8rld")).isTrue();
        assertThat(FlagNames.isKey("Feature.UTF-8.\uD83D\uDE0A_\u03C6riend_\u4F60\u597D_\uD83C\uDF0D")).isTrue();
        assertThat(FlagNames.isKey(".hidden")).isTrue();
        assertThat(FlagNames.isKey("with space")).isTrue();
        assertThat(FlagNames.isKey("a".repeat(255))).isTrue();
        // 255 characters, each outside the BMP (two UTF-16 units): characters are counted, not units.
        assertThat(FlagNames.isKey("\uD83D\uDE80".repeat(255))).isTrue();
    }

    @Test
    void rejectsEmptyLongSlashedAndControlCharacterKeys() {
        assertThat(FlagNames.isKey("")).isFalse();
        assertThat(FlagNames.isKey(null)).isFalse();
        assertThat(FlagNames.isKey("a".repeat(256))).isFalse();
        assertThat(FlagNames.isKey("\uD83D\uDE80".repeat(256))).isFalse();
        assertThat(FlagNames.isKey("team/checkout")).isFalse();
        assertThat(FlagNames.isKey("line\nbreak")).isFalse();
        assertThat(FlagNames.isKey("tab\t")).isFalse();
        assertThat(FlagNames.isKey("del\u007f")).isFalse();
        assertThat(FlagNames.isKey("c1\u0085")).isFalse();
    }

    @Test
    void errorNamesTheRuleAndTruncatesLongInput() {
        assertThatThrownBy(() -> FlagNames.requireKey("x".repeat(500)))
                .isInstanceOf(InvalidFlagException.class)
                .hasMessageContaining("flag key must be 1 to 255 characters")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(200));
        assertThatThrownBy(() -> FlagNames.requireKey("forged\nINFO line")).hasMessageContaining("forged\\u000aINFO line");
    }
}
