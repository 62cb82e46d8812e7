package dev.flagsync.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagsync.api.ApiFixture;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Started with neither store reachable and nothing known: OFREP answers 500 GENERAL in its own
 * shape (not the API's 503), and readiness says the instance cannot serve.
 */
class OfrepUnavailableIT {

    private static ApiFixture fixture;

    @BeforeAll
    static void start() {
        fixture = ApiFixture.withUnreachableStores(Map.of("MEMORY_CACHE_TTL_MS", "0"));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private HttpResponse<String> post(String path) {
        return fixture.send(HttpRequest.newBuilder(fixture.uri(path))
                .POST(HttpRequest.BodyPublishers.ofString("{\"context\":{\"targetingKey\":\"u\"}}")),
                "X-Flag-Environment", "ofrep-never-read");
    }

    @Test
    void answersGeneralWhenNoSourceCanAnswer() {
        HttpResponse<String> one = post("/ofrep/v1/evaluate/flags/f");
        assertThat(one.statusCode()).isEqualTo(500);
        assertThat(one.body()).contains("\"key\":\"f\"").contains("\"errorCode\":\"GENERAL\"");

        HttpResponse<String> bulk = post("/ofrep/v1/evaluate/flags");
        assertThat(bulk.statusCode()).isEqualTo(500);
        assertThat(bulk.body()).startsWith("{\"errorCode\":\"GENERAL\"");
    }

    @Test
    void isNotReadyButAlive() {
        HttpResponse<String> ready = fixture.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"status\":\"down\"").contains("\"redis\":\"down\"")
                .contains("\"database\":\"down\"").contains("\"initial-load\":");
        // Nothing is stuck or dead: restarting it would not help.
        assertThat(fixture.get("/health/live").statusCode()).isEqualTo(200);
    }
}
