package dev.flagsync.api.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessControlTest {

    private static final String SERVER = "server:production.s3cr3t-server-secret-value";
    private static final String FRONTEND = "frontend:production.s3cr3t-frontend-secret";
    private static final String ADMIN_DEV = "admin:development.s3cr3t-admin-dev-secret";
    private static final String EXPIRED = "server:*.s3cr3t-expired-secret-value";
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    private AccessControl control(ReadMode mode, RateLimits limits, boolean loaded) {
        TokenRegistry registry = TokenRegistry.withBootstrap(List.of("bootstrap-admin-token-123"), List.of());
        if (loaded) {
            registry.replace(List.of(
                    stored("1", "api", TokenType.SERVER, Set.of("production"), null, SERVER),
                    stored("2", "web", TokenType.FRONTEND, Set.of("production"), null, FRONTEND),
                    stored("3", "dev-admin", TokenType.ADMIN, Set.of("development"), null, ADMIN_DEV),
                    stored("4", "old", TokenType.SERVER, Set.of(), NOW.minusSeconds(1), EXPIRED)));
        }
        return new AccessControl(registry, new RateLimiter(limits, metrics), ClientAddresses.trusting(List.of()), mode,
                InstantSource.fixed(NOW));
    }

    private static HashedToken stored(String id, String name, TokenType type, Set<String> environments, Instant expires,
                                      String secret) {
        return new HashedToken(new AccessToken(id, name, type, environments, expires), Credentials.hash(secret));
    }

    private static RateLimits generous() {
        return new RateLimits(1000, 1000, 1000, 1000, 1000, 1000);
    }

    @Test
    void tokenModeNeedsATokenCoveringTheEnvironment() {
        AccessControl control = control(ReadMode.TOKEN, generous(), true);

        assertThat(control.requireRead(control.admit("127.0.0.1", null, SERVER), "production", View.RAW).name()).isEqualTo("api");
        assertStatus(() -> control.requireRead(control.admit("127.0.0.1", null, SERVER), "staging", View.RAW), 403, "staging");
        assertStatus(() -> control.requireRead(control.admit("127.0.0.1", null, null), "production", View.RAW), 401, "token");
        assertStatus(() -> control.requireRead(control.admit("127.0.0.1", null, "wrong"), "production", View.RAW), 401, "token");
        assertStatus(() -> control.requireRead(control.admit("127.0.0.1", null, EXPIRED), "production", View.RAW), 401, "token");
    }

    @Test
    void frontendTokensGetEvaluationsOnly() {
        AccessControl control = control(ReadMode.TOKEN, generous(), true);
        Caller web = control.admit("127.0.0.1", null, FRONTEND);

        assertThat(control.requireRead(web, "production", View.EVALUATED).name()).isEqualTo("web");
        assertStatus(() -> control.requireRead(web, "production", View.RAW), 403, "evaluated answers only");
        assertStatus(() -> control.requireAdmin(web, "production"), 403, "admin");
    }

    @Test
    void openModeIgnoresCredentialsThatDoNotAuthenticate() {
        AccessControl control = control(ReadMode.OPEN, generous(), true);

        assertThat(control.requireRead(control.admit("127.0.0.1", null, null), "production", View.RAW)).isNull();
        assertThat(control.requireRead(control.admit("127.0.0.1", null, "wrong"), "production", View.RAW)).isNull();
    }

    @Test
    void adminScopeAndTokenManagementNeedEveryEnvironment() {
        AccessControl control = control(ReadMode.OPEN, generous(), true);
        Caller devAdmin = control.admit("127.0.0.1", null, ADMIN_DEV);
        Caller bootstrap = control.admit("127.0.0.1", null, "bootstrap-admin-token-123");

        assertThat(control.requireAdmin(devAdmin, "development").name()).isEqualTo("dev-admin");
        assertStatus(() -> control.requireAdmin(devAdmin, "production"), 403, "production");
        assertStatus(() -> control.requireAdmin(devAdmin, null), 403, "every environment");
        assertThat(control.requireAdmin(bootstrap, null).name()).isEqualTo("ADMIN_TOKENS#1");
    }

    @Test
    void ofrepUsesTheTokensOnlyEnvironmentWithoutAHeader() {
        AccessControl control = control(ReadMode.TOKEN, generous(), true);

        assertThat(control.evaluationEnvironment(control.admit("127.0.0.1", null, FRONTEND), null, "default")).isEqualTo("production");
        assertThat(control.evaluationEnvironment(control.admit("127.0.0.1", null, FRONTEND), "staging", "default")).isEqualTo("staging");
        assertThat(control.evaluationEnvironment(control.admit("127.0.0.1", null, "bootstrap-admin-token-123"), null, "default"))
                .isEqualTo("default");
    }

    @Test
    void unknownTokensAre503UntilTokensWereLoadedOnceButBootstrapTokensWork() {
        AccessControl control = control(ReadMode.TOKEN, generous(), false);

        assertStatus(() -> control.requireRead(control.admit("127.0.0.1", null, SERVER), "production", View.RAW), 503, "PostgreSQL");
        assertThat(control.requireAdmin(control.admit("127.0.0.1", null, "bootstrap-admin-token-123"), null)).isNotNull();
    }

    @Test
    void spentFailureBudgetRefusesEveryCredentialFromThatAddressEvenAValidOne() {
        AccessControl control = control(ReadMode.TOKEN, new RateLimits(1000, 1000, 1000, 1000, 2, 1000), true);
        for (int i = 0; i < 2; i++) {
            assertStatus(() -> control.requireRead(control.admit("192.0.2.1", null, "guess"), "production", View.RAW), 401, "token");
        }

        assertStatus(() -> control.admit("192.0.2.1", null, SERVER), 429, "retry after");
        assertThat(control.requireRead(control.admit("192.0.2.2", null, SERVER), "production", View.RAW)).isNotNull();
        assertThat(metrics.counter("flagsync.rate.limited", "limit", "auth_failure").count()).isEqualTo(1);
    }

    @Test
    void tokenBudgetsArePerTokenAndFrontendBudgetsPerTokenAndAddress() {
        AccessControl control = control(ReadMode.TOKEN, new RateLimits(1, 2, 1000, 1000, 1000, 1000), true);
        control.admit("192.0.2.1", null, SERVER);
        control.admit("192.0.2.2", null, SERVER);
        assertStatus(() -> control.admit("192.0.2.3", null, SERVER), 429, "retry after");

        control.admit("192.0.2.1", null, FRONTEND);
        control.admit("192.0.2.1", null, FRONTEND);
        assertStatus(() -> control.admit("192.0.2.1", null, FRONTEND), 429, "retry after");
        assertThat(control.admit("192.0.2.2", null, FRONTEND).authentication().isValid()).isTrue();
    }

    private static void assertStatus(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int status, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AccessException.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.getMessage()).containsIgnoringCase(message);
            if (status == 429) {
                assertThat(e.retryAfterSeconds()).isPositive();
            }
        });
    }
}
