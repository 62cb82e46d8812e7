package dev.flagsync.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flagsync.api.ApiFixture;
import dev.flagsync.localstack.Postgres;
import dev.flagsync.localstack.Redis;
import dev.flagsync.localstack.Servers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Stores stopped in the middle of a test: servers of this class's own, brought back up before
 * each test, and a fresh API (breakers, memory, last known good) per test.
 */
class FailoverIT {

    private static Postgres postgres;
    private static Redis redis;
    private ApiFixture fixture;
    private String environment;

    @BeforeAll
    static void servers() {
        postgres = Servers.postgres();
        redis = Servers.redis();
    }

    @AfterAll
    static void stopServers() {
        redis.close();
        postgres.close();
    }

    @BeforeEach
    void start(TestInfo test) {
        postgres.start();
        redis.start();
        // No memory tier, so every read exercises Redis and PostgreSQL.
        fixture = ApiFixture.on(postgres, redis, Map.of("MEMORY_CACHE_TTL_MS", "0"));
        environment = "failover-" + test.getTestMethod().orElseThrow().getName().toLowerCase().substring(0, 20);
        fixture.sql("INSERT INTO feature_flags (environment, flag_key, enabled) VALUES ('" + environment + "', 'f', true)");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private HttpResponse<String> read() {
        return fixture.get("/api/v1/environments/" + environment + "/flags");
    }

    @Test
    void servesFromDatabaseWhenRedisIsDown() {
        assertThat(read().headers().firstValue("X-Flag-Source")).hasValue("database");
        assertThat(read().headers().firstValue("X-Flag-Source")).hasValue("redis");

        redis.stop();

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
        assertThat(ready.body()).contains("\"redis\":\"down\"").contains("\"status\":\"degraded\"")
                .contains("\"change-subscriber\":\"failing since");
        assertThat(fixture.get("/health/live").statusCode()).isEqualTo(200); // a store outage is no reason to restart

        redis.start();
        await().atMost(Duration.ofSeconds(15))
                .until(() -> read().headers().firstValue("X-Flag-Source").orElseThrow().equals("redis"));
        await().atMost(Duration.ofSeconds(5)).until(() -> fixture.get("/health/ready").body().contains("\"status\":\"up\""));
    }

    @Test
    void servesFromRedisWhenPostgresIsDown() {
        assertThat(read().headers().firstValue("X-Flag-Source")).hasValue("database");

        postgres.stop();

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = read();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Flag-Source")).hasValue("redis");
            assertThat(response.body()).contains("\"key\":\"f\"");
        }
        HttpResponse<String> ready = fixture.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"database\":\"down\"").contains("\"status\":\"degraded\"");
    }

    @Test
    void servesStaleCopyWhenBothAreDownAnd503WhenNothingIsKnown() {
        String known = read().body();

        redis.stop();
        postgres.stop();

        HttpResponse<String> stale = read();
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.headers().firstValue("X-Flag-Source")).hasValue("stale");
        assertThat(stale.body()).isEqualTo(known);

        HttpResponse<String> unknown = fixture.get("/api/v1/environments/never-read/flags");
        assertThat(unknown.statusCode()).isEqualTo(503);
        assertThat(unknown.body()).contains("\"error\":\"unavailable\"");
        assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));

        // Still answering from its last known good copies: degraded, and kept in the load balancer.
        HttpResponse<String> ready = fixture.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\":\"degraded\"").contains("\"redis\":\"down\"")
                .contains("\"database\":\"down\"").contains("last known good copies of");
    }
}
