package dev.flagsync.api.unleash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.api.ApiFixture;
import dev.flagsync.api.access.TestTokens;
import dev.flagsync.shared.flag.FlagJson;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Unleash's client API on real PostgreSQL and Redis, answered the way the Node SDK needs
 * (research note unleash-compat.md): the token's environment, ETag and 304, segments inlined for
 * old SDKs, 202 on register and metrics with the counts on /metrics, and statuses that do not
 * stop an SDK for good unless its token is wrong. The memory tier is off and each read drops the
 * Redis copy, so answers follow writes at once.
 */
class UnleashClientApiIT {

    private static final String ENV = "unleash-client-api";
    private static final String OTHER_ENV = "unleash-client-api-other";
    private static final String ADMIN = "Bearer " + ApiFixture.ADMIN_TOKEN;
    private static ApiFixture fixture;
    private static String client;
    private static String frontend;

    @BeforeAll
    static void start() {
        fixture = new ApiFixture(Map.of("MEMORY_CACHE_TTL_MS", "0"));
        client = TestTokens.create(fixture, "unleash-client-api-server", "server", ENV);
        frontend = TestTokens.create(fixture, "unleash-client-api-frontend", "frontend", ENV);
        admin("segments/1", "{\"name\":\"beta\",\"constraints\":[{\"contextName\":\"userId\",\"operator\":\"IN\",\"values\":[\"7\"]}]}");
        admin("flags/web.beta", "{\"enabled\":true,\"strategies\":[{\"name\":\"default\",\"segments\":[1]}]}");
        admin("flags/web.legacy", "{\"enabled\":true,\"rolloutPercentage\":30}");
        admin("flags/api.on", "{\"enabled\":true,\"strategies\":[],\"variants\":[{\"name\":\"blue\",\"weight\":1000}]}");
        fixture.sql("INSERT INTO feature_flags (environment, flag_key, enabled) VALUES ('" + OTHER_ENV + "', 'elsewhere', true)");
        // The token registry reloads within a second: wait until the new tokens are known.
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/client/features", client).statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static void admin(String what, String body) {
        HttpResponse<String> response = fixture.put("/api/v1/environments/" + ENV + "/" + what, body, "Authorization", ADMIN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static HttpResponse<String> get(String path, String token, String... headers) {
        fixture.redisClient.del("feature_flags:" + ENV);
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = token;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return fixture.get(path, all);
    }

    private static HttpResponse<String> post(String path, String token, String body) {
        return fixture.send(HttpRequest.newBuilder(fixture.uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)),
                "Authorization", token, "Content-Type", "application/json");
    }

    private static JsonNode json(HttpResponse<String> response) {
        return FlagJson.readTree(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode feature(JsonNode body, String name) {
        return body.get("features").valueStream().filter(f -> f.get("name").textValue().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void servesTheTokensEnvironmentInUnleashsShape() {
        HttpResponse<String> response = get("/api/client/features", client, "Unleash-Client-Spec", "5.2.0");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode body = json(response);
        assertThat(body.get("version").intValue()).isEqualTo(2);
        assertThat(body.get("features").valueStream().map(f -> f.get("name").textValue()))
                .containsExactly("api.on", "web.beta", "web.legacy");
        assertThat(body.at("/segments/0/id").intValue()).isEqualTo(1);
        assertThat(feature(body, "web.beta").at("/strategies/0/segments/0").intValue()).isEqualTo(1);
        assertThat(feature(body, "web.beta").at("/strategies/0/parameters").isObject()).isTrue();
        assertThat(feature(body, "web.legacy").at("/strategies/0/name").textValue()).isEqualTo("flexibleRollout");
        assertThat(feature(body, "web.legacy").at("/strategies/0/parameters/rollout").textValue()).isEqualTo("30");
        assertThat(feature(body, "api.on").at("/variants/0/name").textValue()).isEqualTo("blue");
        assertThat(response.headers().firstValue("X-Flag-Source")).isPresent();
    }

    @Test
    void inlinesSegmentsWithoutTheClientSpecHeaderOrBelowFourTwo() {
        // A header that is no version is read as absent: inlined segments work for every SDK, a 400 for none.
        for (String[] headers : new String[][] {{}, {"Unleash-Client-Spec", "4.1.9"}, {"Unleash-Client-Spec", "five"}}) {
            JsonNode body = json(get("/api/client/features", client, headers));
            assertThat(body.get("segments")).isEmpty();
            JsonNode strategy = feature(body, "web.beta").at("/strategies/0");
            assertThat(strategy.has("segments")).isFalse();
            assertThat(strategy.at("/constraints/0/values/0").textValue()).isEqualTo("7");
        }
        assertThat(json(get("/api/client/features", client, "Unleash-Client-Spec", "4.2")).get("segments")).hasSize(1);
    }

    @Test
    void filtersByNamePrefixAndProject() {
        assertThat(json(get("/api/client/features?namePrefix=web.", client)).get("features")).hasSize(2);
        assertThat(json(get("/api/client/features?project=default", client)).get("features")).hasSize(3);
        assertThat(json(get("/api/client/features?project=payments", client)).get("features")).isEmpty();
        assertThat(json(get("/api/client/features?tag=simple:web", client)).get("features")).isEmpty();
    }

    @Test
    void answers304ForTheSameETagAnd200AfterAChange() {
        HttpResponse<String> first = get("/api/client/features", client);
        String etag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> again = get("/api/client/features", client, "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        // The filters and the inlining are part of the ETag: another query is a different answer.
        assertThat(get("/api/client/features?namePrefix=web.", client, "If-None-Match", etag).statusCode()).isEqualTo(200);
        assertThat(get("/api/client/features", client, "If-None-Match", etag, "Unleash-Client-Spec", "5.2.0").statusCode())
                .isEqualTo(200);

        fixture.sql("UPDATE feature_flags SET description = 'changed' WHERE environment = '" + ENV + "' AND flag_key = 'web.legacy'");
        HttpResponse<String> changed = get("/api/client/features", client, "If-None-Match", etag);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.headers().firstValue("ETag")).isPresent().isNotEqualTo(java.util.Optional.of(etag));
        assertThat(feature(json(changed), "web.legacy").get("description").textValue()).isEqualTo("changed");
    }

    @Test
    void servesOneFlagWithItsETagAnd404ForNone() {
        HttpResponse<String> one = get("/api/client/features/web.legacy", client);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(json(one).get("name").textValue()).isEqualTo("web.legacy");
        String etag = one.headers().firstValue("ETag").orElseThrow();
        assertThat(get("/api/client/features/web.legacy", client, "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(get("/api/client/features/absent", client).statusCode()).isEqualTo(404);
    }

    @Test
    void refusesAWrongTokenEvenWhereReadsAreOpenAndAFrontendToken() {
        // Open mode ignores a bad token on other reads; here it would pick another environment's flags.
        assertThat(get("/api/client/features", "not-a-token").statusCode()).isEqualTo(401);
        assertThat(get("/api/client/features", frontend).statusCode()).isEqualTo(403);
        assertThat(get("/api/client/features", client, "X-Flag-Environment", OTHER_ENV).statusCode()).isEqualTo(403);
    }

    @Test
    void acceptsRegisterAndMetricsWith202AndCountsEvaluations() {
        String register = "{\"appName\":\"checkout\",\"instanceId\":\"i-1\",\"sdkVersion\":\"unleash-node-sdk:6.12.1\","
                + "\"strategies\":[\"default\"],\"started\":\"2026-12-02T00:00:00Z\",\"interval\":60000}";
        assertThat(post("/api/client/register", client, register).statusCode()).isEqualTo(202);
        String metrics = "{\"appName\":\"checkout\",\"instanceId\":\"i-1\",\"bucket\":{\"start\":\"2026-12-02T00:00:00Z\","
                + "\"stop\":\"2026-12-02T00:01:00Z\",\"toggles\":{\"api.on\":{\"yes\":5,\"no\":2,\"variants\":{\"blue\":4,\"made-up\":1}},"
                + "\"invented-by-a-client\":{\"yes\":3,\"no\":0}}}}";
        assertThat(post("/api/client/metrics", client, metrics).statusCode()).isEqualTo(202);

        String scrape = fixture.get("/metrics").body();
        assertThat(scrape).contains("flagsync_unleash_evaluations_total{environment=\"" + ENV + "\",flag=\"api.on\",result=\"enabled\"} 5.0");
        assertThat(scrape).contains("flagsync_unleash_evaluations_total{environment=\"" + ENV + "\",flag=\"api.on\",result=\"disabled\"} 2.0");
        assertThat(scrape).contains("flagsync_unleash_variants_total{environment=\"" + ENV + "\",flag=\"api.on\",variant=\"blue\"} 4.0");
        assertThat(scrape).contains("flagsync_unleash_variants_total{environment=\"" + ENV + "\",flag=\"api.on\",variant=\"_other\"} 1.0");
        assertThat(scrape).contains("flagsync_unleash_evaluations_total{environment=\"" + ENV + "\",flag=\"_unknown\",result=\"enabled\"} 3.0");
        assertThat(scrape).doesNotContain("invented-by-a-client");
        assertThat(scrape).contains("flagsync_unleash_registrations_total{environment=\"" + ENV + "\"} 1.0");
    }

    @Test
    void refusesAMalformedMetricsBodyWith400() {
        HttpResponse<String> response = post("/api/client/metrics", client, "{\"bucket\":{\"toggles\":{\"api.on\":{\"yes\":-1}}}}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("yes must be a whole number");
        assertThat(post("/api/client/metrics", client, "not json").statusCode()).isEqualTo(400);
    }
}
