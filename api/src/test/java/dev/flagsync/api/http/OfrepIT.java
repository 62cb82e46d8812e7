package dev.flagsync.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagsync.api.ApiFixture;
import dev.flagsync.evaluator.Hashing;
import dev.flagsync.shared.cache.RedisKeys;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** OFREP 0.3.0 over HTTP on real stores, with READ_TOKENS set so the shared token check applies too. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfrepIT {

    private static final String READ_TOKEN = "ofrep-read-token-0123456789";
    private static final String ENV = "ofrep-it";

    private ApiFixture fixture;

    @BeforeAll
    void start() {
        fixture = new ApiFixture(Map.of("READ_TOKENS", READ_TOKEN, "DEFAULT_ENVIRONMENT", ENV));
        fixture.sql("INSERT INTO feature_flags (environment, flag_key, enabled, rollout_percentage) VALUES "
                + "('" + ENV + "', 'static-on', true, 100), ('" + ENV + "', 'off', false, 100), "
                + "('" + ENV + "', 'split', true, 50), ('other-ofrep', 'elsewhere', true, 100)");
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    private HttpResponse<String> post(String path, String body, String... headers) {
        String[] all = new String[headers.length + 4];
        all[0] = "Authorization";
        all[1] = "Bearer " + READ_TOKEN;
        all[2] = "Content-Type";
        all[3] = "application/json";
        System.arraycopy(headers, 0, all, 4, headers.length);
        return fixture.send(HttpRequest.newBuilder(fixture.uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)), all);
    }

    private HttpResponse<String> one(String key, String body, String... headers) {
        return post("/ofrep/v1/evaluate/flags/" + key, body, headers);
    }

    @Test
    void staticFlagIsOnWithMetadataAndSource() {
        HttpResponse<String> response = one("static-on", "{\"context\":{}}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"key\":\"static-on\",\"reason\":\"STATIC\",\"variant\":\"on\",\"value\":true,"
                + "\"metadata\":{\"environment\":\"ofrep-it\",\"version\":" + version(response) + "}}");
        assertThat(response.headers().firstValue("X-Flag-Source")).isPresent();
    }

    @Test
    void disabledFlagIsOff() {
        assertThat(one("off", "{\"context\":{\"targetingKey\":\"u1\"}}").body())
                .startsWith("{\"key\":\"off\",\"reason\":\"DISABLED\",\"variant\":\"off\",\"value\":false");
    }

    @Test
    void splitFollowsTheUnleashBucket() {
        for (String user : new String[] {"alice", "bob", "carol", "dave"}) {
            boolean expected = Hashing.group("split").bucket(user) <= 50;
            HttpResponse<String> response = one("split", "{\"context\":{\"targetingKey\":\"" + user + "\"}}");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"reason\":\"SPLIT\"").contains("\"value\":" + expected)
                    .contains("\"variant\":\"" + (expected ? "on" : "off") + "\"");
        }
    }

    @Test
    void splitWithoutTargetingKeyIsTargetingKeyMissing() {
        HttpResponse<String> response = one("split", "{\"context\":{}}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"key\":\"split\"").contains("\"errorCode\":\"TARGETING_KEY_MISSING\"");
    }

    @Test
    void unparsableBodyIsParseError() {
        HttpResponse<String> response = one("static-on", "{not json");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"errorCode\":\"PARSE_ERROR\"");
        HttpResponse<String> bulk = post("/ofrep/v1/evaluate/flags", "{not json");
        assertThat(bulk.statusCode()).isEqualTo(400);
        assertThat(bulk.body()).startsWith("{\"errorCode\":\"PARSE_ERROR\"");
    }

    @Test
    void contextThatIsNoObjectIsInvalidContext() {
        HttpResponse<String> response = one("static-on", "{\"context\":\"u1\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"errorCode\":\"INVALID_CONTEXT\"");
    }

    @Test
    void unknownOrMalformedKeyIsFlagNotFound() {
        assertThat(one("missing", "{\"context\":{}}").statusCode()).isEqualTo(404);
        HttpResponse<String> malformed = one("-bad*key", "{\"context\":{}}");
        assertThat(malformed.statusCode()).isEqualTo(404);
        assertThat(malformed.body()).contains("\"errorCode\":\"FLAG_NOT_FOUND\"");
    }

    @Test
    void environmentComesFromTheHeader() {
        assertThat(one("elsewhere", "{\"context\":{}}", "X-Flag-Environment", "other-ofrep").statusCode()).isEqualTo(200);
        assertThat(one("elsewhere", "{\"context\":{}}").statusCode()).isEqualTo(404);
        HttpResponse<String> malformed = one("static-on", "{\"context\":{}}", "X-Flag-Environment", "Not Valid!");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("\"errorCode\":\"INVALID_CONTEXT\"").contains("X-Flag-Environment");
    }

    @Test
    void bulkCarriesAnEtagAndAnswers304ForIt() {
        String body = "{\"context\":{\"targetingKey\":\"alice\",\"plan\":\"pro\"}}";
        HttpResponse<String> first = post("/ofrep/v1/evaluate/flags", body);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("\"key\":\"static-on\"").contains("\"key\":\"split\"").contains("\"key\":\"off\"");
        String etag = first.headers().firstValue("ETag").orElseThrow();

        // Same context with its properties in another order: same ETag, so 304 and no body.
        HttpResponse<String> again = post("/ofrep/v1/evaluate/flags",
                "{\"context\":{\"plan\":\"pro\",\"targetingKey\":\"alice\"}}", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.headers().firstValue("ETag")).hasValue(etag);

        HttpResponse<String> otherContext = post("/ofrep/v1/evaluate/flags",
                "{\"context\":{\"targetingKey\":\"bob\"}}", "If-None-Match", etag);
        assertThat(otherContext.statusCode()).isEqualTo(200);

        fixture.sql("UPDATE feature_flags SET rollout_percentage = 60 WHERE environment = '" + ENV + "' AND flag_key = 'split'");
        // What the sync worker would do: Redis gets the new version (here: dropped) and memory is told.
        fixture.redisClient.del(RedisKeys.snapshot(ENV));
        fixture.api.reader().invalidate(ENV);
        HttpResponse<String> changed = post("/ofrep/v1/evaluate/flags", body, "If-None-Match", etag);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);
    }

    @Test
    void readTokensApply() {
        HttpResponse<String> response = fixture.send(HttpRequest.newBuilder(fixture.uri("/ofrep/v1/evaluate/flags"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"context\":{}}")));
        assertThat(response.statusCode()).isEqualTo(401);
    }

    private static String version(HttpResponse<String> response) {
        return response.body().replaceAll(".*\"version\":(\\d+).*", "$1");
    }
}
