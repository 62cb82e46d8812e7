package dev.flagsync.api.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CredentialsTest {

    @Test
    void acceptsBearerRawAuthorizationAndApiKey() {
        assertThat(Credentials.secret("Bearer server:*.abc", null)).isEqualTo("server:*.abc");
        assertThat(Credentials.secret("bearer   server:*.abc ", null)).isEqualTo("server:*.abc");
        assertThat(Credentials.secret("server:*.abc", null)).isEqualTo("server:*.abc");
        assertThat(Credentials.secret(null, "frontend:web.xyz")).isEqualTo("frontend:web.xyz");
    }

    @Test
    void apiKeyWinsOverAuthorization() {
        assertThat(Credentials.secret("Bearer one", "two")).isEqualTo("two");
    }

    @Test
    void noHeaderIsNoCredentialButAnotherSchemeIsAFailedOne() {
        assertThat(Credentials.secret(null, null)).isNull();
        assertThat(Credentials.secret("  ", "")).isNull();
        assertThat(Credentials.secret("Basic dXNlcjpwYXNz", null)).isEmpty();
        assertThat(Credentials.secret("Bearer ", null)).isEmpty();
    }

    @Test
    void hashIsSha256OfUtf8() {
        assertThat(Credentials.hash("abc")).hasSize(32)
                .isEqualTo(java.util.HexFormat.of().parseHex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }
}
