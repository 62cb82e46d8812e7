package dev.flagsync.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flagsync.api.ApiFixture;
import dev.flagsync.api.WorkerSimulator;
import dev.flagsync.api.access.TestTokens;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Unleash's frontend API on real stores, in READ_ACCESS=token, sent what {@code
 * unleash-proxy-client} 3.8 sends: the raw frontend token in {@code authorization}, the context
 * in the query (or a POST body), its {@code unleash-*} headers, and its last ETag even after a
 * context change.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FrontendApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENV = "frontend-it";
    private static final String CHANGING = "frontend-it-change";
    private static final String ORIGIN = "http://app.frontend-it.test";
    private static final String ALICE_NO = "/api/frontend?sessionId=123&appName=web&environment=default&userId=alice"
            + "&properties%5Bcountry%5D=NO";

    private ApiFixture fixture;
    private String frontend;
    private String frontendBoth;

    @BeforeAll
    void start() {
        fixture = new ApiFixture(Map.of("READ_ACCESS", "token", "CORS_ALLOWED_ORIGINS", ORIGIN,
                "DEFAULT_ENVIRONMENT", "frontend-it-default"));
        fixture.sql("""
                INSERT INTO feature_flags (environment, flag_key, enabled, strategies, variants, impression_data) VALUES
                ('%1$s', 'beta', true, '[{"name":"userWithId","parameters":{"userIds":"alice"}}]', null, false),
                ('%1$s', 'nordic', true, '[{"name":"default","parameters":{},"constraints":
                    [{"contextName":"country","operator":"IN","values":["NO","SE"]}]}]', null, false),
                ('%1$s', 'banner', true, '[]', '[{"name":"blue","weight":1,"payload":{"type":"json","value":"{\\"c\\":1}"},
                    "overrides":[{"contextName":"userId","values":["alice"]}]},
                    {"name":"red","weight":0,"overrides":[{"contextName":"userId","values":["bob"]}]}]', true),
                ('%1$s', 'local', true, '[{"name":"remoteAddress","parameters":{"IPs":"127.0.0.1"}}]', null, false),
                ('%1$s', 'dark', false, '[]', null, false),
                ('%2$s', 'moving', false, '[]', null, false)""".formatted(ENV, CHANGING));
        frontend = TestTokens.create(fixture, "web", "frontend", ENV);
        frontendBoth = TestTokens.create(fixture, "web-both", "frontend", ENV, CHANGING);
        await().atMost(Duration.ofSeconds(5)).until(() -> get(ALICE_NO, "authorization", frontend).statusCode() == 200);
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    private HttpResponse<String> get(String path, String... headers) {
        return fixture.get(path, headers);
    }

    private HttpResponse<String> post(String path, String body, String... headers) {
        return fixture.send(HttpRequest.newBuilder(fixture.uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)),
                headers);
    }

    /** The headers the browser SDK sends on a poll (parseHeaders in unleash-proxy-client 3.8.2). */
    private String[] sdkHeaders(String token, String... more) {
        List<String> headers = new ArrayList<>(List.of("accept", "application/json", "authorization", token,
                "unleash-sdk", "unleash-js-sdk:3.8.2", "unleash-appname", "web",
                "unleash-connection-id", "4f0e2d52-8f55-4c61-9a56-1c2f3a9e0b11"));
        headers.addAll(List.of(more));
        return headers.toArray(String[]::new);
    }

    private static List<String> names(HttpResponse<String> response) throws IOException {
        List<String> names = new ArrayList<>();
        JSON.readTree(response.body()).get("toggles").forEach(toggle -> names.add(toggle.get("name").asText()));
        return names;
    }

    private static JsonNode toggle(HttpResponse<String> response, String name) throws IOException {
        for (JsonNode toggle : JSON.readTree(response.body()).get("toggles")) {
            if (toggle.get("name").asText().equals(name)) {
                return toggle;
            }
        }
        throw new AssertionError("no toggle " + name + " in " + response.body());
    }

    @Test
    void getAnswersTheEnabledTogglesForTheQueryContext() throws IOException {
        HttpResponse<String> response = get(ALICE_NO, sdkHeaders(frontend));

        assertThat(response.statusCode()).isEqualTo(200);
        // The client's own address filled remoteAddress: "local" matches 127.0.0.1.
        assertThat(names(response)).containsExactly("banner", "beta", "local", "nordic");
        assertThat(toggle(response, "banner")).isEqualTo(JSON.readTree("""
                {"name":"banner","enabled":true,"variant":{"name":"blue","enabled":true,
                 "payload":{"type":"json","value":"{\\"c\\":1}"},"feature_enabled":true,"featureEnabled":true},
                 "impressionData":true}"""));
        assertThat(toggle(response, "beta").get("variant")).isEqualTo(JSON.readTree(
                "{\"name\":\"disabled\",\"enabled\":false,\"feature_enabled\":true,\"featureEnabled\":true}"));
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(response.headers().firstValue("ETag").orElseThrow()).matches("\"[0-9a-f]{24}\"");
        assertThat(response.headers().firstValue("X-Flag-Source")).isPresent();
    }

    @Test
    void unbracketedAndRawBracketQueriesAreReadToo() throws IOException {
        assertThat(names(get("/api/frontend?userId=bob&country=SE", sdkHeaders(frontend))))
                .containsExactly("banner", "local", "nordic");
        // A hand-written URL may leave the brackets unencoded.
        assertThat(names(get("/api/frontend?userId=bob&properties[country]=SE&remoteAddress=10.1.1.1", sdkHeaders(frontend))))
                .containsExactly("banner", "nordic");
    }

    @Test
    void postAnswersWhatGetAnswers() {
        HttpResponse<String> viaGet = get(ALICE_NO, sdkHeaders(frontend));
        HttpResponse<String> viaPost = post("/api/frontend", """
                {"context":{"sessionId":"123","appName":"web","environment":"default","userId":"alice",
                 "properties":{"country":"NO"}}}""", sdkHeaders(frontend, "content-type", "application/json"));

        assertThat(viaPost.statusCode()).isEqualTo(200);
        assertThat(viaPost.body()).isEqualTo(viaGet.body());
        assertThat(viaPost.headers().firstValue("ETag")).isEqualTo(viaGet.headers().firstValue("ETag"));
    }

    @Test
    void sameAnswerIs304AndANewContextWithTheOldEtagGetsItsOwnToggles() throws IOException {
        String etag = get(ALICE_NO, sdkHeaders(frontend)).headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> again = get(ALICE_NO, sdkHeaders(frontend, "if-none-match", etag));
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();

        // What the SDK does after updateContext({userId:"bob"}): the new query, alice's old ETag.
        HttpResponse<String> bob = get("/api/frontend?sessionId=123&appName=web&environment=default&userId=bob",
                sdkHeaders(frontend, "if-none-match", etag));
        assertThat(bob.statusCode()).isEqualTo(200);
        assertThat(names(bob)).containsExactly("banner", "local");
        assertThat(toggle(bob, "banner").get("variant").get("name").asText()).isEqualTo("red");
        assertThat(bob.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(etag);
    }

    @Test
    void aSqlChangeChangesTheAnswerAndItsEtag() throws IOException {
        WorkerSimulator worker = new WorkerSimulator(fixture);
        String path = "/api/frontend?userId=alice";
        String[] headers = sdkHeaders(frontendBoth, "X-Flag-Environment", CHANGING);
        HttpResponse<String> before = get(path, headers);
        assertThat(before.statusCode()).isEqualTo(200);
        assertThat(names(before)).isEmpty();
        String etag = before.headers().firstValue("ETag").orElseThrow();

        fixture.sql("UPDATE feature_flags SET enabled = true WHERE environment = '" + CHANGING + "' AND flag_key = 'moving'");
        worker.rewarmAndPublish(CHANGING);

        await().atMost(Duration.ofSeconds(10)).until(() -> get(path, sdkHeaders(frontendBoth, "X-Flag-Environment", CHANGING,
                "if-none-match", etag)).statusCode() == 200);
        HttpResponse<String> after = get(path, headers);
        assertThat(names(after)).containsExactly("moving");
        assertThat(after.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(etag);
    }

    @Test
    void theEnvironmentIsTheTokensNotTheContexts() throws IOException {
        // environment=default is a context field the SDK always sends; the token chooses the flags.
        HttpResponse<String> response = get("/api/frontend?environment=" + CHANGING + "&userId=alice", sdkHeaders(frontend));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(names(response)).contains("beta").doesNotContain("moving");
    }

    @Test
    void refusesCallersWithoutATokenForTheEnvironment() {
        assertThat(get(ALICE_NO).statusCode()).isEqualTo(401);
        assertThat(get(ALICE_NO, "authorization", "not-a-token").statusCode()).isEqualTo(401);
        assertThat(get(ALICE_NO, sdkHeaders(frontend, "X-Flag-Environment", CHANGING)).statusCode()).isEqualTo(403);
        assertThat(get(ALICE_NO, sdkHeaders(frontend, "X-Flag-Environment", "Not Valid")).statusCode()).isEqualTo(400);
        assertThat(fixture.send(HttpRequest.newBuilder(fixture.uri(ALICE_NO)).method("HEAD", HttpRequest.BodyPublishers.noBody()))
                .statusCode()).isEqualTo(401);
    }

    @Test
    void aPostBodyItCannotReadIs400() {
        HttpResponse<String> response = post("/api/frontend", "{\"context\":\"alice\"}", sdkHeaders(frontend));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"error\":\"bad_request\"").contains("context must be a JSON object");
        assertThat(post("/api/frontend", "{oops", sdkHeaders(frontend)).statusCode()).isEqualTo(400);
    }

    @Test
    void aContextTooLongForTheUrlIsRefusedAndFitsInAPost() throws IOException {
        String big = "x".repeat(9_000);
        // A client of its own: Jetty closes the connection after refusing the URL, and the shared
        // client could otherwise pick that closing connection for the POST below.
        int status;
        try (java.net.http.HttpClient once = java.net.http.HttpClient.newHttpClient()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(fixture.uri("/api/frontend?userId=alice&properties%5Bnote%5D=" + big));
            String[] headers = sdkHeaders(frontend);
            for (int i = 0; i < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            status = once.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertThat(status).isIn(414, 431);
        HttpResponse<String> viaPost = post("/api/frontend", "{\"context\":{\"userId\":\"alice\",\"properties\":"
                + "{\"country\":\"NO\",\"note\":\"" + big + "\"}}}", sdkHeaders(frontend, "content-type", "application/json"));
        assertThat(viaPost.statusCode()).isEqualTo(200);
        assertThat(names(viaPost)).contains("beta", "nordic");
    }

    @Test
    void metricsAndRegistrationAreAccepted() {
        String metrics = """
                {"bucket":{"start":"2026-12-01T10:00:00.000Z","stop":"2026-12-01T10:00:30.000Z",
                 "toggles":{"beta":{"yes":3,"no":0,"variants":{}}}},"appName":"web","instanceId":"browser"}""";
        assertThat(post("/api/frontend/client/metrics", metrics, sdkHeaders(frontend, "content-type", "application/json"))
                .statusCode()).isEqualTo(202);
        assertThat(post("/api/frontend/client/register", "{\"appName\":\"web\",\"instanceId\":\"browser\",\"sdkVersion\":"
                + "\"unleash-js-sdk:3.8.2\",\"environment\":\"default\",\"interval\":30000,\"started\":"
                + "\"2026-12-01T10:00:00.000Z\",\"strategies\":[]}", sdkHeaders(frontend)).statusCode()).isEqualTo(202);
        assertThat(post("/api/frontend/client/metrics", "not json", sdkHeaders(frontend)).statusCode()).isEqualTo(400);
        assertThat(post("/api/frontend/client/metrics", metrics).statusCode()).isEqualTo(401);
    }

    @Test
    void preflightLetsTheSdksHeadersThroughAndAnswersExposeTheEtag() {
        HttpResponse<String> preflight = fixture.send(HttpRequest.newBuilder(fixture.uri("/api/frontend?userId=alice"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()),
                "Origin", ORIGIN, "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers",
                "authorization,content-type,if-none-match,unleash-appname,unleash-connection-id,unleash-sdk");
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().toLowerCase())
                .contains("authorization", "content-type", "if-none-match", "unleash-appname", "unleash-connection-id",
                        "unleash-sdk");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("GET", "POST");

        HttpResponse<String> read = get(ALICE_NO, sdkHeaders(frontend, "Origin", ORIGIN));
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
        assertThat(read.headers().firstValue("Access-Control-Expose-Headers").orElseThrow()).contains("ETag");
    }
}
