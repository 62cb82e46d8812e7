package dev.flagsync.api.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamCredentialsTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final String SECRET = "frontend:production.s3cr3t-frontend-secret";
    private static final HashedToken WEB = new HashedToken(
            new AccessToken("7f1c", "web", TokenType.FRONTEND, Set.of("production"), null), Credentials.hash(SECRET));
    private static final HashedToken EXPIRING = new HashedToken(
            new AccessToken("9a2b", "old", TokenType.FRONTEND, Set.of("production"), NOW), Credentials.hash("another-secret-value"));

    private static TokenRegistry loaded(HashedToken... tokens) {
        TokenRegistry registry = TokenRegistry.withBootstrap(List.of("bootstrap-admin-token-123"), List.of());
        registry.replace(List.of(tokens));
        return registry;
    }

    @Test
    void opensItsOwnEnvironmentAsItsToken() {
        String credential = StreamCredentials.issue(WEB, "production");

        Authentication authentication = StreamCredentials.verify(loaded(WEB), credential, "production", NOW);
        assertThat(authentication.isValid()).isTrue();
        assertThat(authentication.token().name()).isEqualTo("web");
        assertThat(credential).doesNotContain(SECRET).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}");
        assertThat(StreamCredentials.issue(WEB, "production")).as("stable").isEqualTo(credential);
    }

    @Test
    void isInvalidForAnotherEnvironmentTamperedRevokedOrExpired() {
        String credential = StreamCredentials.issue(WEB, "production");
        char last = credential.charAt(credential.length() - 1);
        String tampered = credential.substring(0, credential.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertThat(StreamCredentials.verify(loaded(WEB), credential, "staging", NOW).status())
                .isEqualTo(Authentication.Status.INVALID);
        assertThat(StreamCredentials.verify(loaded(WEB), tampered, "production", NOW).status())
                .isEqualTo(Authentication.Status.INVALID);
        assertThat(StreamCredentials.verify(loaded(), credential, "production", NOW).status())
                .as("revoked: no longer loaded").isEqualTo(Authentication.Status.INVALID);
        assertThat(StreamCredentials.verify(loaded(EXPIRING), StreamCredentials.issue(EXPIRING, "production"), "production", NOW)
                .status()).isEqualTo(Authentication.Status.INVALID);
        for (String malformed : List.of("", ".", "nodot", "%%%.%%%", "a.b.c", "x".repeat(600) + ".y")) {
            assertThat(StreamCredentials.verify(loaded(WEB), malformed, "production", NOW).status()).as(malformed)
                    .isEqualTo(Authentication.Status.INVALID);
        }
    }

    @Test
    void isNoneWhenAbsentAndUnavailableBeforeTokensEverLoaded() {
        TokenRegistry unloaded = TokenRegistry.withBootstrap(List.of(), List.of());

        assertThat(StreamCredentials.verify(loaded(WEB), null, "production", NOW).status()).isEqualTo(Authentication.Status.NONE);
        assertThat(StreamCredentials.verify(unloaded, StreamCredentials.issue(WEB, "production"), "production", NOW).status())
                .isEqualTo(Authentication.Status.UNAVAILABLE);
    }

    @Test
    void bootstrapTokensHaveCredentialsToo() {
        TokenRegistry registry = TokenRegistry.withBootstrap(List.of(), List.of("bootstrap-read-token-0123456789"));
        HashedToken read = registry.byId("bootstrap:READ_TOKENS#1").orElseThrow();

        assertThat(StreamCredentials.verify(registry, StreamCredentials.issue(read, "any-env"), "any-env", NOW).isValid()).isTrue();
    }
}
