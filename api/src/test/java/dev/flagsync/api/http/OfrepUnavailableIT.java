package dev.flagsync.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagsync.api.ApiFixture;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With both stores down and nothing known, OFREP answers 500 GENERAL in its own shape, not the API's 503. */
class OfrepUnavailableIT {

    private ApiFixture fixture;

    @BeforeEach
    void start() {
        fixture = new ApiFixture(Map.of("MEMORY_CACHE_TTL_MS", "0"));
        fixture.redis.stop();
        fixture.postgres.stop();
    }

    @AfterEach
    void stop() {
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
}
