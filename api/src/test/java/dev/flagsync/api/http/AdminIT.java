package dev.flagsync.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagsync.api.ApiFixture;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AdminIT {

    private static final String AUTH = "Bearer " + ApiFixture.ADMIN_TOKEN;
    private static ApiFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new ApiFixture(Map.of("MEMORY_CACHE_TTL_MS", "0"));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static String flagsOf(String env) {
        // Straight from PostgreSQL: admin writes never touch Redis.
        fixture.redisClient.del("feature_flags:" + env);
        return fixture.get("/api/v1/environments/" + env + "/flags").body();
    }

    @Test
    void putCreatesThenReplacesAndReturnsTheStoredFlag() {
        HttpResponse<String> created = fixture.put("/api/v1/environments/admin-put/flags/checkout",
                "{\"enabled\":true,\"rolloutPercentage\":25,\"description\":\"new checkout\"}", "Authorization", AUTH);
        HttpResponse<String> replaced = fixture.put("/api/v1/environments/admin-put/flags/checkout",
                "{\"enabled\":false}", "Authorization", AUTH);

        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.body()).startsWith("{\"key\":\"checkout\",\"enabled\":true,\"rolloutPercentage\":25,\"description\":\"new checkout\"");
        assertThat(replaced.body()).startsWith("{\"key\":\"checkout\",\"enabled\":false,\"rolloutPercentage\":100,\"description\":null");
        assertThat(flagsOf("admin-put")).contains("\"enabled\":false");
    }

    @Test
    void putWritesOnlyToPostgres() {
        fixture.put("/api/v1/environments/admin-only-db/flags/f", "{\"enabled\":true}", "Authorization", AUTH);

        assertThat(fixture.redisClient.exists("feature_flags:admin-only-db")).isFalse();
    }

    @Test
    void deleteAnswers204Then404() {
        fixture.put("/api/v1/environments/admin-delete/flags/gone", "{}", "Authorization", AUTH);

        assertThat(fixture.delete("/api/v1/environments/admin-delete/flags/gone", "Authorization", AUTH).statusCode()).isEqualTo(204);
        HttpResponse<String> again = fixture.delete("/api/v1/environments/admin-delete/flags/gone", "Authorization", AUTH);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.body()).contains("\"error\":\"not_found\"");
    }

    @Test
    void missingOrWrongTokenGets401AndWritesNothing() {
        HttpResponse<String> none = fixture.put("/api/v1/environments/admin-auth/flags/f", "{\"enabled\":true}");
        HttpResponse<String> wrong = fixture.put("/api/v1/environments/admin-auth/flags/f", "{\"enabled\":true}",
                "Authorization", "Bearer " + ApiFixture.ADMIN_TOKEN + "x");
        HttpResponse<String> basic = fixture.put("/api/v1/environments/admin-auth/flags/f", "{\"enabled\":true}",
                "Authorization", "Basic " + ApiFixture.ADMIN_TOKEN);

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("\"error\":\"unauthorized\"");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(flagsOf("admin-auth")).contains("\"version\":0,\"flags\":[]");
        fixture.put("/api/v1/environments/admin-auth/flags/g", "{}", "Authorization", AUTH);
        assertThat(fixture.delete("/api/v1/environments/admin-auth/flags/g").statusCode()).isEqualTo(401);
        assertThat(flagsOf("admin-auth")).contains("\"key\":\"g\"");
    }

    @Test
    void invalidBodiesGet400WithTheReasonAndWriteNothing() {
        Map<String, String> cases = Map.of(
                "{\"enabled\":\"yes\"}", "$.enabled: must be true or false",
                "{\"rolloutPercentage\":150}", "$.rolloutPercentage: must be an integer from 0 to 100",
                "{\"rollout\":5}", "$.rollout: unknown property",
                "not json", "not valid JSON",
                "", "must not be empty");
        cases.forEach((body, reason) -> {
            HttpResponse<String> response = fixture.put("/api/v1/environments/admin-invalid/flags/f", body, "Authorization", AUTH);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.body()).as(body).contains("\"error\":\"bad_request\"").contains(reason);
        });
        // Unleash's flag names allow spaces and UTF-8, not control characters.
        HttpResponse<String> badKey = fixture.put("/api/v1/environments/admin-invalid/flags/bad%09key", "{}", "Authorization", AUTH);
        assertThat(badKey.statusCode()).isEqualTo(400);
        assertThat(flagsOf("admin-invalid")).contains("\"flags\":[]");
    }

    @Test
    void oversizedBodyGets413AndWritesNothing() {
        String huge = "{\"description\":\"" + "x".repeat(70 * 1024) + "\"}";

        HttpResponse<String> response = fixture.put("/api/v1/environments/admin-huge/flags/f", huge, "Authorization", AUTH);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"error\":\"payload_too_large\"");
        assertThat(flagsOf("admin-huge")).contains("\"flags\":[]");
    }
}
