package dev.flagsync.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.api.ApiFixture;
import dev.flagsync.shared.flag.FlagJson;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin API in the full rule model (contract section 6): flags with strategies, variants and
 * dependencies, segments, strict validation naming the JSON path, and deletes that would leave
 * other flags referring to nothing refused. Real PostgreSQL and Redis; the memory tier is off and
 * each read drops the Redis copy, so reads come straight from what the admin API stored.
 */
class AdminRulesIT {

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

    private static HttpResponse<String> put(String env, String what, String body) {
        return fixture.put("/api/v1/environments/" + env + "/" + what, body, "Authorization", AUTH);
    }

    private static HttpResponse<String> delete(String env, String what) {
        return fixture.delete("/api/v1/environments/" + env + "/" + what, "Authorization", AUTH);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return FlagJson.readTree(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode snapshot(String env) {
        fixture.redisClient.del("feature_flags:" + env);
        return json(fixture.get("/api/v1/environments/" + env + "/flags"));
    }

    private static JsonNode ofrep(String env, String key, String context) {
        fixture.redisClient.del("feature_flags:" + env);
        return json(fixture.send(HttpRequest.newBuilder(fixture.uri("/ofrep/v1/evaluate/flags/" + path(key)))
                .POST(HttpRequest.BodyPublishers.ofString("{\"context\":" + context + "}")), "X-Flag-Environment", env));
    }

    private static String path(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void putTakesTheFullModelStoresItAndOfrepEvaluatesIt() {
        String env = "admin-rules";
        assertThat(put(env, "segments/7", "{\"name\":\"enterprise\",\"constraints\":"
                + "[{\"contextName\":\"plan\",\"operator\":\"IN\",\"values\":[\"enterprise\"]}]}").statusCode()).isEqualTo(200);
        assertThat(put(env, "flags/parent", "{\"enabled\":true,\"strategies\":[]}").statusCode()).isEqualTo(200);
        String body = """
                {"enabled":true,"description":"A/B","impressionData":true,
                 "strategies":[{"name":"default","parameters":{},"segments":[7]}],
                 "variants":[{"name":"blue","weight":500,"stickiness":"userId","payload":{"type":"json","value":"{\\"color\\":\\"blue\\"}"}},
                             {"name":"green","weight":500,"stickiness":"userId","payload":{"type":"string","value":"green"}}],
                 "dependencies":[{"feature":"parent"}]}""";

        HttpResponse<String> stored = put(env, "flags/checkout-button", body);

        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        JsonNode flag = json(stored);
        assertThat(flag.get("strategies")).isEqualTo(FlagJson.readTree(body.getBytes(StandardCharsets.UTF_8)).get("strategies"));
        assertThat(flag.get("variants")).hasSize(2);
        assertThat(flag.get("dependencies").get(0).get("feature").textValue()).isEqualTo("parent");
        assertThat(flag.get("impressionData").booleanValue()).isTrue();
        JsonNode snapshot = snapshot(env);
        assertThat(snapshot.get("segments")).isEqualTo(FlagJson.readTree(
                "[{\"id\":7,\"name\":\"enterprise\",\"constraints\":[{\"contextName\":\"plan\",\"operator\":\"IN\",\"values\":[\"enterprise\"]}]}]"
                        .getBytes(StandardCharsets.UTF_8)));
        JsonNode enterprise = ofrep(env, "checkout-button", "{\"targetingKey\":\"user-1\",\"plan\":\"enterprise\"}");
        assertThat(enterprise.get("variant").textValue()).isIn("blue", "green");
        assertThat(enterprise.get("reason").textValue()).isEqualTo("SPLIT");
        assertThat(ofrep(env, "checkout-button", "{\"targetingKey\":\"user-1\",\"plan\":\"free\"}").has("value")).isFalse();
    }

    @Test
    void invalidRulesGet400NamingEveryJsonPathAndWriteNothing() {
        String env = "admin-rules-invalid";
        put(env, "flags/parent", "{\"enabled\":true,\"strategies\":[]}");
        put(env, "flags/child", "{\"enabled\":true,\"strategies\":[],\"dependencies\":[{\"feature\":\"parent\"}]}");
        long version = snapshot(env).get("version").longValue();
        Map<String, String> cases = Map.of(
                "{\"strategies\":[{\"name\":\"default\",\"constraints\":[{\"contextName\":\"x\",\"operator\":\"LIKE\",\"values\":[\"a\"]}]}]}",
                "$.strategies[0].constraints[0].operator",
                "{\"strategies\":[{\"name\":\"default\",\"constraints\":[{\"contextName\":\"x\",\"operator\":\"REGEX\",\"value\":\"(a\"}]}]}",
                "$.strategies[0].constraints[0].value",
                "{\"strategies\":[{\"name\":\"default\",\"constraints\":[{\"contextName\":\"v\",\"operator\":\"SEMVER_GT\",\"value\":\"v2.0.0\"}]}]}",
                "$.strategies[0].constraints[0].value",
                "{\"strategies\":[],\"variants\":[{\"name\":\"a\",\"weight\":5000}]}", "$.variants[0].weight",
                "{\"strategies\":[{\"name\":\"default\",\"segments\":[99]}]}", "$.strategies[0].segments[0]: segment 99 does not exist",
                "{\"strategies\":[],\"dependencies\":[{\"feature\":\"nowhere\"}]}", "$.dependencies[0].feature: flag nowhere does not exist",
                "{\"strategies\":[],\"dependencies\":[{\"feature\":\"child\"}]}", "$.dependencies[0].feature: flag child depends on other flags",
                "{\"rolloutPercentage\":50,\"strategies\":[]}", "$.rolloutPercentage",
                "{\"strategies\":[{\"name\":\"fancyRollout\"}]}", "$.strategies[0].name: unknown strategy",
                "{\"strategies\":{}}", "$.strategies: must be an array");
        cases.forEach((body, path) -> {
            HttpResponse<String> response = put(env, "flags/refused", body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            JsonNode error = json(response);
            assertThat(error.get("error").textValue()).isEqualTo("bad_request");
            assertThat(error.get("message").textValue()).as(body).contains(path);
            assertThat(error.get("errors")).as(body).isNotEmpty();
        });
        // Every error is listed, each with its path.
        JsonNode two = json(put(env, "flags/refused", "{\"strategies\":[{\"name\":\"default\",\"segments\":[98]},"
                + "{\"name\":\"userWithId\",\"parameters\":{\"userIds\":7}}]}"));
        List<String> paths = new ArrayList<>();
        two.get("errors").forEach(error -> paths.add(error.get("path").textValue()));
        assertThat(paths).contains("$.strategies[0].segments[0]", "$.strategies[1].parameters.userIds");
        // A parent cannot come to depend on another flag: that would be two levels.
        HttpResponse<String> parent = put(env, "flags/parent", "{\"strategies\":[],\"dependencies\":[{\"feature\":\"other\"}]}");
        assertThat(parent.statusCode()).isEqualTo(400);
        assertThat(parent.body()).contains("other flags depend on parent");
        assertThat(snapshot(env).get("version").longValue()).isEqualTo(version);
    }

    @Test
    void segmentsAreListedReadReplacedAndDeletedUnlessAFlagUsesThem() {
        String env = "admin-segments";
        HttpResponse<String> created = put(env, "segments/3", "{\"name\":\"beta testers\",\"description\":\"opt-in\","
                + "\"constraints\":[{\"contextName\":\"email\",\"operator\":\"STR_ENDS_WITH\",\"values\":[\"@example.com\"],\"caseInsensitive\":true}]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(json(created).get("id").intValue()).isEqualTo(3);
        assertThat(json(created).get("description").textValue()).isEqualTo("opt-in");
        assertThat(put(env, "segments/1", "{\"id\":1,\"name\":\"one\",\"constraints\":[]}").statusCode()).isEqualTo(200);

        JsonNode list = json(fixture.get("/api/v1/environments/" + env + "/segments", "Authorization", AUTH));
        assertThat(list.get("segments")).extracting(segment -> segment.get("id").intValue()).containsExactly(1, 3);
        assertThat(fixture.get("/api/v1/environments/" + env + "/segments/3", "Authorization", AUTH).statusCode()).isEqualTo(200);
        assertThat(fixture.get("/api/v1/environments/" + env + "/segments/4", "Authorization", AUTH).statusCode()).isEqualTo(404);
        assertThat(fixture.get("/api/v1/environments/" + env + "/segments").statusCode()).isEqualTo(401);

        assertThat(put(env, "flags/beta", "{\"enabled\":true,\"strategies\":[{\"name\":\"default\",\"segments\":[3]}]}").statusCode())
                .isEqualTo(200);
        HttpResponse<String> inUse = delete(env, "segments/3");
        assertThat(inUse.statusCode()).isEqualTo(409);
        assertThat(json(inUse).get("error").textValue()).isEqualTo("conflict");
        assertThat(json(inUse).get("flags")).extracting(JsonNode::textValue).containsExactly("beta");
        assertThat(snapshot(env).get("segments")).hasSize(2);

        assertThat(put(env, "flags/beta", "{\"enabled\":true,\"strategies\":[]}").statusCode()).isEqualTo(200);
        assertThat(delete(env, "segments/3").statusCode()).isEqualTo(204);
        assertThat(delete(env, "segments/3").statusCode()).isEqualTo(404);
        assertThat(snapshot(env).get("segments")).extracting(segment -> segment.get("id").intValue()).containsExactly(1);
    }

    @Test
    void invalidSegmentsGet400NamingThePath() {
        String env = "admin-segments-invalid";
        Map<String, String> cases = Map.of(
                "{\"constraints\":[]}", "$.name: is required",
                "{\"name\":\"s\",\"constraints\":[{\"contextName\":\"n\",\"operator\":\"NUM_GT\",\"value\":\"many\"}]}",
                "$.constraints[0].value",
                "{\"name\":\"s\"}", "$.constraints: is required",
                "{\"id\":2,\"name\":\"s\",\"constraints\":[]}", "$.id",
                "{\"name\":\"s\",\"constraints\":[],\"colour\":\"red\"}", "$.colour: unknown property");
        cases.forEach((body, path) -> {
            HttpResponse<String> response = put(env, "segments/1", body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.body()).as(body).contains(path);
        });
        assertThat(put(env, "segments/abc", "{\"name\":\"s\",\"constraints\":[]}").statusCode()).isEqualTo(400);
        assertThat(put(env, "segments/0", "{\"name\":\"s\",\"constraints\":[]}").statusCode()).isEqualTo(400);
        assertThat(json(fixture.get("/api/v1/environments/" + env + "/segments", "Authorization", AUTH)).get("segments")).isEmpty();
    }

    @Test
    void aFlagOthersDependOnCannotBeDeleted() {
        String env = "admin-parents";
        put(env, "flags/parent", "{\"enabled\":true,\"strategies\":[]}");
        put(env, "flags/child-a", "{\"enabled\":true,\"strategies\":[],\"dependencies\":[{\"feature\":\"parent\"}]}");
        put(env, "flags/child-b", "{\"enabled\":true,\"strategies\":[],\"dependencies\":[{\"feature\":\"parent\",\"enabled\":false}]}");

        HttpResponse<String> refused = delete(env, "flags/parent");

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(json(refused).get("flags")).extracting(JsonNode::textValue).containsExactly("child-a", "child-b");
        assertThat(delete(env, "flags/child-a").statusCode()).isEqualTo(204);
        assertThat(delete(env, "flags/child-b").statusCode()).isEqualTo(204);
        assertThat(delete(env, "flags/parent").statusCode()).isEqualTo(204);
    }

    @Test
    void unleashFlagNamesWithUtf8AndSpacesWorkThroughTheApi() {
        String env = "admin-utf8";
        String hello = "Feature.UTF-8.Hell\u00f8_W\u00f8rld";
        String emoji = "Feature.UTF-8.\uD83D\uDE0A_\u03C6riend_\u4F60\u597D_\uD83C\uDF0D";
        for (String key : List.of(hello, emoji, "with space")) {
            HttpResponse<String> stored = put(env, "flags/" + path(key), "{\"enabled\":true,\"strategies\":[]}");
            assertThat(stored.statusCode()).as(key).isEqualTo(200);
            assertThat(json(stored).get("key").textValue()).isEqualTo(key);
            fixture.redisClient.del("feature_flags:" + env);
            assertThat(fixture.get("/api/v1/environments/" + env + "/flags/" + path(key)).statusCode()).as(key).isEqualTo(200);
            assertThat(ofrep(env, key, "{}").get("value").booleanValue()).as(key).isTrue();
        }
        assertThat(snapshot(env).get("flags")).extracting(flag -> flag.get("key").textValue())
                .containsExactlyInAnyOrder(hello, emoji, "with space");
    }
}
