package dev.flagsync.api.unleash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagsync.api.ApiFixture;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Started with neither store reachable: the Unleash client API answers 503 (the Node SDK backs
 * off and retries), never 401 (which would stop its polling until a restart), both for a token
 * that cannot be checked yet and for a bootstrap token whose environment no source can serve.
 */
class UnleashClientUnavailableIT {

    private static final String READ_TOKEN = "unleash-unavailable-read-token-0123456789";
    private static ApiFixture fixture;

    @BeforeAll
    static void start() {
        fixture = ApiFixture.withUnreachableStores(Map.of("MEMORY_CACHE_TTL_MS", "0", "READ_TOKENS", READ_TOKEN));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void answers503ForATokenThatCannotBeCheckedYet() {
        HttpResponse<String> response = fixture.get("/api/client/features", "Authorization", "a-token-from-postgresql");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void answers503WhenNoSourceCanServeTheEnvironment() {
        HttpResponse<String> response = fixture.get("/api/client/features", "Authorization", READ_TOKEN);
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"error\":\"unavailable\"");
        HttpResponse<String> metrics = fixture.send(HttpRequest.newBuilder(fixture.uri("/api/client/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"bucket\":{\"toggles\":{}}}")), "Authorization", READ_TOKEN);
        assertThat(metrics.statusCode()).isEqualTo(503);
        HttpResponse<String> register = fixture.send(HttpRequest.newBuilder(fixture.uri("/api/client/register"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"appName\":\"a\"}")), "Authorization", READ_TOKEN);
        assertThat(register.statusCode()).isEqualTo(202);
    }
}
