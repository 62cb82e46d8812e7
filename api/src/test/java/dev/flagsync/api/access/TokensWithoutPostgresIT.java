package dev.flagsync.api.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flagsync.api.Api;
import dev.flagsync.api.ApiFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * While PostgreSQL is down an instance keeps the tokens it last loaded; one that never loaded
 * them answers 503 (not 401, which would stop Unleash SDKs for good) for tokens it cannot check.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokensWithoutPostgresIT {

    private ApiFixture fixture;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() {
        fixture = ApiFixture.withOwnServers(Map.of("READ_ACCESS", "token")); // it stops PostgreSQL
        fixture.sql("INSERT INTO feature_flags (environment, flag_key, enabled) VALUES ('outage', 'f', true)");
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    private int read(Api api, String secret) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/api/v1/environments/outage/flags"))
                    .header("Authorization", secret).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void knownTokensKeepWorkingAndAFreshInstanceSays503UntilPostgresIsBack() throws Exception {
        String secret = TestTokens.create(fixture, "survivor", "server", "outage");
        await().atMost(Duration.ofSeconds(5)).until(() -> read(fixture.api, secret) == 200);

        fixture.postgres.stop();
        try {
            assertThat(read(fixture.api, secret)).isEqualTo(200);
            assertThat(read(fixture.api, "server:outage.not-a-token-at-all")).isEqualTo(401);

            Api fresh = TestTokens.secondApi(fixture, Map.of());
            try {
                HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fresh.port()
                                + "/api/v1/environments/outage/flags")).header("Authorization", secret).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(unknown.statusCode()).isEqualTo(503);
                assertThat(unknown.body()).contains("tokens_unavailable");
                assertThat(unknown.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(read(fresh, "Bearer " + ApiFixture.ADMIN_TOKEN)).isEqualTo(200);

                fixture.postgres.start();
                await().atMost(Duration.ofSeconds(15)).until(() -> read(fresh, secret) == 200);
            } finally {
                fresh.close();
            }
        } finally {
            if (!fixture.postgres.isRunning()) {
                fixture.postgres.start();
            }
        }
    }
}
