package dev.flagsync.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flagsync.api.ApiFixture;
import dev.flagsync.api.OpenStreams;
import dev.flagsync.api.SseClient;
import dev.flagsync.api.WorkerSimulator;
import dev.flagsync.api.access.TestTokens;
import dev.flagsync.shared.cache.RedisSnapshotCache;
import dev.flagsync.shared.flag.EncodedSnapshot;
import dev.flagsync.shared.flag.FlagJson;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OFREP event streams (ADR-0008) on real stores with READ_ACCESS=token: bulk answers point at the
 * stream, the stream URL alone (as EventSource opens it, without headers) is admitted for its own
 * environment only, and every change of the environment arrives as a refetchEvaluation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfrepEventsIT {

    private static final String ORIGIN = "https://app.example.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiFixture fixture;
    private WorkerSimulator worker;
    private String frontend;
    private OpenStreams streams;

    @BeforeAll
    void start() {
        // A long memory TTL, so only a change notification (or a refetch naming the version) makes a change visible.
        fixture = new ApiFixture(Map.of("READ_ACCESS", "token", "SSE_HEARTBEAT_SECONDS", "1",
                "MEMORY_CACHE_TTL_MS", "600000", "CORS_ALLOWED_ORIGINS", ORIGIN));
        worker = new WorkerSimulator(fixture);
        worker.awaitApiSubscribed();
        streams = new OpenStreams(fixture);
        fixture.sql("INSERT INTO feature_flags (environment, flag_key, enabled) VALUES "
                + "('events-a', 'banner', false), ('events-b', 'banner', true), ('events-revoke', 'banner', true)");
        worker.rewarmAndPublish("events-a");
        frontend = TestTokens.create(fixture, "web", "frontend", "events-a");
        await().atMost(Duration.ofSeconds(5)).until(() -> bulk("events-a", frontend).statusCode() == 200);
    }

    @AfterEach
    void closeClients() {
        streams.closeAll();
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    private HttpResponse<String> bulk(String environment, String token, String... query) {
        return fixture.send(HttpRequest.newBuilder(fixture.uri("/ofrep/v1/evaluate/flags" + String.join("", query)))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"context\":{\"targetingKey\":\"u-1\"}}")),
                "Authorization", token, "X-Flag-Environment", environment, "Content-Type", "application/json");
    }

    private String streamUri(String environment, String token) throws Exception {
        JsonNode streams = JSON.readTree(bulk(environment, token).body()).get("eventStreams");
        assertThat(streams).hasSize(1);
        assertThat(streams.get(0).get("type").asText()).isEqualTo("sse");
        assertThat(streams.get(0).get("inactivityDelaySec").asInt()).isEqualTo(120);
        return streams.get(0).get("endpoint").get("requestUri").asText();
    }

    private SseClient open(String requestUri, String... headers) {
        return streams.open(fixture.uri(requestUri), headers);
    }

    /** The status of a stream request, whatever it is: a 200 stream is closed after its headers. */
    private int status(String requestUri, String... headers) {
        return open(requestUri, headers).response.statusCode();
    }

    private long change(String environment) {
        fixture.sql("UPDATE feature_flags SET enabled = NOT enabled WHERE environment = '" + environment + "'");
        return worker.rewarmAndPublish(environment);
    }

    @Test
    void bulkAnswersPointAtTheStreamWithACredentialThatIsNotTheToken() throws Exception {
        String uri = streamUri("events-a", frontend);
        assertThat(uri).startsWith("/ofrep/v1/events?environment=events-a&credential=");
        assertThat(uri).doesNotContain(frontend);
        assertThat(streamUri("events-a", frontend)).as("stable, so the provider keeps its connection").isEqualTo(uri);
    }

    @Test
    void everyChangeArrivesAsARefetchEvaluationWithTheVersionAsIdAndEtag() throws Exception {
        SseClient client = open(streamUri("events-a", frontend)); // no headers, as EventSource
        assertThat(client.response.statusCode()).isEqualTo(200);
        assertThat(client.response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        long current = fixture.api.reader().read("events-a").snapshot().version();
        await().atMost(Duration.ofSeconds(2)).until(() -> client.lastId() == current);

        long next = change("events-a");
        await().atMost(Duration.ofSeconds(2)).until(() -> client.lastId() == next);
        SseClient.Event event = client.events().getLast();
        assertThat(event.event()).as("the default event, the only one the web provider hears").isEqualTo("message");
        assertThat(client.events()).hasSize(2);
        assertThat(JSON.readTree(event.data())).isEqualTo(JSON.readTree(
                "{\"type\":\"refetchEvaluation\",\"etag\":\"\\\"" + next + "\\\"\"}"));
    }

    @Test
    void lastEventIdOfTheCurrentVersionSkipsTheFirstNotice() throws Exception {
        String uri = streamUri("events-a", frontend);
        long current = fixture.api.reader().read("events-a").snapshot().version();
        SseClient resumed = open(uri, "Last-Event-ID", Long.toString(current));
        SseClient behind = open(uri, "Last-Event-ID", Long.toString(current - 1));
        await().atMost(Duration.ofSeconds(3)).until(resumed::sawHeartbeat);
        assertThat(resumed.events()).isEmpty();
        assertThat(behind.lastId()).isEqualTo(current);
    }

    @Test
    void aCredentialOpensItsOwnEnvironmentOnly() throws Exception {
        String uri = streamUri("events-a", frontend);
        String credential = uri.substring(uri.indexOf("credential=") + "credential=".length());
        assertThat(status("/ofrep/v1/events?environment=events-b&credential=" + credential)).isEqualTo(401);
        assertThat(status("/ofrep/v1/events?environment=events-a&credential=" + credential + "x")).isEqualTo(401);
        assertThat(status("/ofrep/v1/events?environment=events-a&credential=garbage")).isEqualTo(401);
        assertThat(status("/ofrep/v1/events?environment=events-a")).isEqualTo(401);
        // A header works as on every OFREP endpoint, and is checked against the environment as there.
        assertThat(status("/ofrep/v1/events?environment=events-b", "Authorization", frontend)).isEqualTo(403);
    }

    @Test
    void aRevokedTokensStreamEnds() throws Exception {
        HttpResponse<String> created = fixture.send(HttpRequest.newBuilder(fixture.uri("/api/v1/tokens"))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"short-lived\",\"type\":\"frontend\",\"environments\":[\"events-revoke\"]}")),
                "Authorization", "Bearer " + ApiFixture.ADMIN_TOKEN, "Content-Type", "application/json");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode token = JSON.readTree(created.body());
        String secret = token.get("secret").asText();
        await().atMost(Duration.ofSeconds(5)).until(() -> bulk("events-revoke", secret).statusCode() == 200);
        SseClient client = open(streamUri("events-revoke", secret));
        await().atMost(Duration.ofSeconds(2)).until(() -> client.lastId() >= 0);

        assertThat(fixture.delete("/api/v1/tokens/" + token.get("id").asText(),
                "Authorization", "Bearer " + ApiFixture.ADMIN_TOKEN).statusCode()).isEqualTo(204);
        // Tokens reload within 1 s and streams are checked at every heartbeat (1 s here).
        await().atMost(Duration.ofSeconds(5)).until(client::ended);
    }

    @Test
    void anotherOriginMayListenAndReconnectWithLastEventId() throws Exception {
        String uri = streamUri("events-a", frontend);
        SseClient client = open(uri, "Origin", ORIGIN);
        assertThat(client.response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
        // Last-Event-ID is not a CORS-safelisted header: a reconnecting EventSource asks first.
        HttpResponse<String> preflight = fixture.send(HttpRequest.newBuilder(fixture.uri(uri))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()),
                "Origin", ORIGIN, "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "last-event-id");
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(
                allowed -> assertThat(allowed).contains("last-event-id"));
        assertThat(open(uri, "Origin", "https://evil.example.com").response.headers()
                .firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void aRefetchNamingANewerVersionReadsPastTheMemoryCopy() throws Exception {
        fixture.sql("INSERT INTO feature_flags (environment, flag_key, enabled) VALUES ('events-late', 'banner', false)");
        worker.rewarmAndPublish("events-late");
        String token = TestTokens.create(fixture, "late", "frontend", "events-late");
        await().atMost(Duration.ofSeconds(5)).until(() -> bulk("events-late", token).statusCode() == 200);
        String before = bulk("events-late", token).body();
        assertThat(before).contains("\"value\":false");

        // Redis is rewarmed but this instance is not told (the notice reached another instance first).
        fixture.sql("UPDATE feature_flags SET enabled = true WHERE environment = 'events-late'");
        EncodedSnapshot fresh = FlagJson.encode(fixture.database().store().load("events-late"));
        assertThat(new RedisSnapshotCache(fixture.redisClient, Duration.ofMinutes(5)).putIfNewer(fresh)).isTrue();
        long next = fresh.version();
        assertThat(bulk("events-late", token).body()).as("memory copy, as before").contains("\"value\":false");
        assertThat(bulk("events-late", token, "?flagConfigEtag=%22" + next + "%22").body()).contains("\"value\":true");
    }
}
