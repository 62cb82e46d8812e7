package dev.flagsync.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagsync.api.ApiFixture;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Browser frontends on an allowed origin may read, stream and call OFREP; others may not. Preflights
 * allow a fixed list of headers (ours, OpenFeature's and Unleash's SDKs'), never whatever is asked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorsIT {

    private static final String ORIGIN = "https://app.example.com";

    private ApiFixture fixture;

    @BeforeAll
    void start() {
        fixture = new ApiFixture(Map.of("CORS_ALLOWED_ORIGINS", ORIGIN + ",http://localhost:3000"));
        fixture.sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('cors', 'f')");
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    @Test
    void answersThePreflightOfAnOfrepCall() {
        HttpResponse<String> preflight = fixture.send(HttpRequest.newBuilder(fixture.uri("/ofrep/v1/evaluate/flags"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()),
                "Origin", ORIGIN, "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization,content-type,if-none-match,x-flag-environment");
        assertThat(preflight.statusCode()).isBetween(200, 204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().toLowerCase())
                .contains("authorization", "content-type", "if-none-match", "x-flag-environment");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("POST");
        assertThat(preflight.headers().allValues("Vary")).contains("Origin");
    }

    @Test
    void preflightAllowsTheFixedListOfSdkHeadersAndNothingElse() {
        HttpResponse<String> preflight = fixture.send(HttpRequest.newBuilder(fixture.uri("/api/v1/environments/cors/flags"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()),
                "Origin", ORIGIN, "Access-Control-Request-Method", "GET",
                "Access-Control-Request-Headers", "x-evil-header,authorization");
        String allowed = preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().toLowerCase();

        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(allowed).doesNotContain("x-evil-header")
                .contains("authorization", "content-type", "if-none-match", "x-api-key", "x-flag-environment",
                        "unleash-sdk", "unleash-appname", "unleash-connection-id", "unleash-client-spec", "last-event-id");
        assertThat(preflight.headers().firstValue("Access-Control-Max-Age")).hasValue("600");
    }

    @Test
    void preflightFromAnotherOriginGetsNoPermission() {
        HttpResponse<String> preflight = fixture.send(HttpRequest.newBuilder(fixture.uri("/ofrep/v1/evaluate/flags"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()),
                "Origin", "https://evil.example", "Access-Control-Request-Method", "POST");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).isEmpty();
        assertThat(preflight.headers().allValues("Vary")).contains("Origin");
    }

    @Test
    void refusalsCarryCorsHeadersSoThePageCanReadThem() {
        HttpResponse<String> refused = fixture.put("/api/v1/environments/cors/flags/f", "{}", "Origin", ORIGIN);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
        assertThat(refused.headers().firstValue("Access-Control-Expose-Headers").orElseThrow()).contains("Retry-After");
    }

    @Test
    void simpleReadExposesEtagAndSource() {
        HttpResponse<String> read = fixture.get("/api/v1/environments/cors/flags", "Origin", ORIGIN);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
        assertThat(read.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
                .contains("ETag").contains("X-Flag-Source").contains("Retry-After");
        assertThat(read.headers().allValues("Vary")).contains("Origin");
    }

    @Test
    void otherOriginsGetNoCorsHeaders() {
        HttpResponse<String> read = fixture.get("/api/v1/environments/cors/flags", "Origin", "https://evil.example");
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
}
