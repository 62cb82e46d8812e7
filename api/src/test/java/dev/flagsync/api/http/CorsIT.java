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

/** Browser frontends on an allowed origin may read, stream and call OFREP; others may not. */
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
    }

    @Test
    void simpleReadExposesEtagAndSource() {
        HttpResponse<String> read = fixture.get("/api/v1/environments/cors/flags", "Origin", ORIGIN);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
        assertThat(read.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
                .contains("ETag").contains("X-Flag-Source");
    }

    @Test
    void otherOriginsGetNoCorsHeaders() {
        HttpResponse<String> read = fixture.get("/api/v1/environments/cors/flags", "Origin", "https://evil.example");
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
}
