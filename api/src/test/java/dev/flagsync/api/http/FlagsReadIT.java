package dev.flagsync.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagsync.api.ApiFixture;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.Snapshot;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FlagsReadIT {

    private static ApiFixture fixture;

    @BeforeAll
    static void start() {
        // A long memory TTL, so the second read of an environment is always from memory.
        fixture = new ApiFixture(Map.of("MEMORY_CACHE_TTL_MS", "60000", "CACHE_TTL_SECONDS", "120"));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void servesFromRedisThenFromMemory() {
        Snapshot snapshot = new Snapshot("read-redis", 7,
                List.of(new Flag("banner", true, 100, "from redis", Instant.parse("2026-11-21T10:00:00Z"))));
        String json = new String(FlagJson.encode(snapshot).json());
        fixture.redisClient.set("feature_flags:read-redis", json);

        HttpResponse<String> first = fixture.get("/api/v1/environments/read-redis/flags");
        HttpResponse<String> second = fixture.get("/api/v1/environments/read-redis/flags");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo(json);
        assertThat(first.headers().firstValue("X-Flag-Source")).hasValue("redis");
        assertThat(first.headers().firstValue("ETag")).hasValue("\"7\"");
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(second.body()).isEqualTo(json);
        assertThat(second.headers().firstValue("X-Flag-Source")).hasValue("memory");
    }

    @Test
    void missFillsRedisFromTheDatabaseWithTheTtl() {
        fixture.sql("INSERT INTO feature_flags (environment, flag_key, enabled, rollout_percentage) VALUES ('read-fill', 'b', true, 30), ('read-fill', 'a', false, 100)");

        HttpResponse<String> response = fixture.get("/api/v1/environments/read-fill/flags");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Flag-Source")).hasValue("database");
        Snapshot served = FlagJson.decode(response.body().getBytes()).snapshot();
        assertThat(served.flags()).extracting(Flag::key).containsExactly("a", "b");
        assertThat(served.version()).isPositive();
        assertThat(fixture.redisClient.get("feature_flags:read-fill")).isEqualTo(response.body());
        assertThat(fixture.redisClient.ttl("feature_flags:read-fill")).isBetween(100L, 120L);
    }

    @Test
    void neverWrittenEnvironmentIsEmptyAndNotCachedInRedis() {
        HttpResponse<String> response = fixture.get("/api/v1/environments/read-unknown/flags");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"environment\":\"read-unknown\",\"version\":0,\"flags\":[]}");
        assertThat(fixture.redisClient.exists("feature_flags:read-unknown")).isFalse();
    }

    @Test
    void matchingIfNoneMatchGets304WithoutBody() {
        fixture.sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('read-etag', 'x')");
        HttpResponse<String> first = fixture.get("/api/v1/environments/read-etag/flags");
        String etag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> same = fixture.get("/api/v1/environments/read-etag/flags", "If-None-Match", etag);
        HttpResponse<String> weak = fixture.get("/api/v1/environments/read-etag/flags/x", "If-None-Match", "W/" + etag);
        HttpResponse<String> other = fixture.get("/api/v1/environments/read-etag/flags", "If-None-Match", "\"999999\"");

        assertThat(same.statusCode()).isEqualTo(304);
        assertThat(same.body()).isEmpty();
        assertThat(same.headers().firstValue("ETag")).hasValue(etag);
        assertThat(weak.statusCode()).isEqualTo(304);
        assertThat(other.statusCode()).isEqualTo(200);
    }

    @Test
    void oneFlagOr404() {
        fixture.sql("INSERT INTO feature_flags (environment, flag_key, enabled, rollout_percentage, description) VALUES ('read-one', 'solo', true, 40, 'd')");

        HttpResponse<String> found = fixture.get("/api/v1/environments/read-one/flags/solo");
        HttpResponse<String> missing = fixture.get("/api/v1/environments/read-one/flags/nope");

        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(found.body()).startsWith("{\"key\":\"solo\",\"enabled\":true,\"rolloutPercentage\":40,\"description\":\"d\",\"updatedAt\":\"");
        assertThat(found.headers().firstValue("X-Flag-Source")).isPresent();
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("\"error\":\"not_found\"");
    }

    @Test
    void malformedNamesGet400WithAJsonReason() {
        HttpResponse<String> badEnv = fixture.get("/api/v1/environments/Bad_Env/flags");
        // Keys are Unleash's names (contract section 6): "-bad" is one, a control character is not.
        HttpResponse<String> badKey = fixture.get("/api/v1/environments/prod/flags/bad%01key");

        assertThat(badEnv.statusCode()).isEqualTo(400);
        assertThat(badEnv.body()).contains("\"error\":\"bad_request\"").contains("environment must match");
        assertThat(badKey.statusCode()).isEqualTo(400);
        assertThat(badKey.body()).contains("flag key must be 1 to 255 characters, no control characters, no '/'");
    }

    @Test
    void sqlWriteBumpsTheVersionReaderSees() {
        fixture.sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('read-bump', 'k')");
        String before = fixture.get("/api/v1/environments/read-bump/flags/k").headers().firstValue("ETag").orElseThrow();

        fixture.sql("UPDATE feature_flags SET enabled = true WHERE environment = 'read-bump'");
        // Without the sync worker nothing rewarms: drop the cached copies as its rewarm would.
        fixture.redisClient.del("feature_flags:read-bump");
        fixture.api.reader().invalidate("read-bump");
        HttpResponse<String> after = fixture.get("/api/v1/environments/read-bump/flags/k");

        assertThat(after.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(before);
        assertThat(Long.parseLong(after.headers().firstValue("ETag").orElseThrow().replace("\"", "")))
                .isGreaterThan(Long.parseLong(before.replace("\"", "")));
        assertThat(after.body()).contains("\"enabled\":true");
    }

    @Test
    void unknownRouteIsJson404() {
        HttpResponse<String> response = fixture.get("/nope");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"error\":\"not_found\"");
    }

    @Test
    void healthAndMetricsAnswer() {
        assertThat(fixture.get("/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = fixture.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"redis\":\"up\"").contains("\"database\":\"up\"");
        fixture.get("/api/v1/environments/read-metrics/flags");
        String metrics = fixture.get("/metrics").body();
        assertThat(metrics).contains("flagsync_reads_total{source=\"database\"}")
                .contains("flagsync_http_requests_seconds_bucket")
                .contains("route=\"/api/v1/environments/{env}/flags\"")
                .contains("resilience4j_circuitbreaker_state");
    }
}
