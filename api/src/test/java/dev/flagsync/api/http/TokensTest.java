package dev.flagsync.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokensTest {

    private final Tokens tokens = new Tokens(List.of("first-token-0123456789", "second-token-0123456789"));

    @Test
    void acceptsAnyConfiguredBearerToken() {
        assertThat(tokens.accepts("Bearer first-token-0123456789")).isTrue();
        assertThat(tokens.accepts("bearer second-token-0123456789")).isTrue();
    }

    @Test
    void rejectsEverythingElse() {
        assertThat(tokens.accepts(null)).isFalse();
        assertThat(tokens.accepts("")).isFalse();
        assertThat(tokens.accepts("Bearer ")).isFalse();
        assertThat(tokens.accepts("Bearer first-token-012345678")).isFalse();
        assertThat(tokens.accepts("Basic first-token-0123456789")).isFalse();
        assertThat(tokens.accepts("first-token-0123456789")).isFalse();
    }

    @Test
    void noTokensAcceptsNothing() {
        assertThat(new Tokens(List.of()).accepts("Bearer anything-at-all-here")).isFalse();
    }
}
