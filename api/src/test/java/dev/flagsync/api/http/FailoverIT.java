package dev.flagsync.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flagsync.api.ApiFixture;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stores stopped in the middle of a test: each test gets servers of its own. */
class FailoverIT {

    private ApiFixture fixture;

    @BeforeEach
    void start() {
        // No memory tier, so every read exercises Redis and PostgreSQL.
        fixture = new ApiFixture(Map.of("MEMORY_CACHE_TTL_MS", "0"));
        fixture.sql("INSERT INTO feature_flags (environment, flag_key, enabled) VALUES ('failover', 'f', true)");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private HttpResponse<String> read() {
        return fixture.get("/api/v1/environments/failover/flags");
    }

    @Test
    void servesFromDatabaseWhenRedisIsDown() {
        assertThat(read().headers().firstValue("X-Flag-Source")).hasValue("database");
        assertThat(read().headers().firstValue("X-Flag-Source")).hasValue("redis");

        fixture.redis.stop();

        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = read();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Flag-Source")).hasValue("database");
            assertThat(response.body()).contains("\"key\":\"f\"");
        }
        // Enough failures in a row open the breaker, so Redis is no longer even tried.
        assertThat(fixture.get("/metrics").body())
                .contains("resilience4j_circuitbreaker_state{name=\"redis\",state=\"open\"} 1.0")
                .containsPattern("flagsync_read_fallbacks_total\\{from=\"redis\",to=\"database\"} [1-9]");
        HttpResponse<String> ready = fixture.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"redis\":\"down\"").contains("\"status\":\"degraded\"");

        fixture.redis.start();
        await().atMost(Duration.ofSeconds(15))
                .until(() -> read().headers().firstValue("X-Flag-Source").orElseThrow().equals("redis"));
    }

    @Test
    void servesFromRedisWhenPostgresIsDown() {
        assertThat(read().headers().firstValue("X-Flag-Source")).hasValue("database");

        fixture.postgres.stop();

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = read();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Flag-Source")).hasValue("redis");
            assertThat(response.body()).contains("\"key\":\"f\"");
        }
        assertThat(fixture.get("/health/ready").body()).contains("\"database\":\"down\"");
    }

    @Test
    void servesStaleCopyWhenBothAreDownAnd503WhenNothingIsKnown() {
        String known = read().body();

        fixture.redis.stop();
        fixture.postgres.stop();

        HttpResponse<String> stale = read();
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.headers().firstValue("X-Flag-Source")).hasValue("stale");
        assertThat(stale.body()).isEqualTo(known);

        HttpResponse<String> unknown = fixture.get("/api/v1/environments/never-read/flags");
        assertThat(unknown.statusCode()).isEqualTo(503);
        assertThat(unknown.body()).contains("\"error\":\"unavailable\"");
        assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));

        HttpResponse<String> ready = fixture.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"redis\":\"down\"").contains("\"database\":\"down\"");
    }
}
