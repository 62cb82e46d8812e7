package dev.flagsync.api.unleash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.api.ApiFixture;
import dev.flagsync.api.OpenStreams;
import dev.flagsync.api.SseClient;
import dev.flagsync.api.WorkerSimulator;
import dev.flagsync.api.access.TestTokens;
import dev.flagsync.shared.flag.FlagJson;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code GET /api/client/streaming} on real stores: the token's environment as a hydration, then
 * each SQL change as a delta; tokens as for the client API. Each test owns its environment.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnleashStreamingIT {

    private static final String ADMIN = "Bearer " + ApiFixture.ADMIN_TOKEN;

    private ApiFixture fixture;
    private WorkerSimulator worker;
    private OpenStreams streams;

    @BeforeAll
    void start() {
        fixture = new ApiFixture(Map.of("SSE_HEARTBEAT_SECONDS", "1", "MEMORY_CACHE_TTL_MS", "600000",
                "SSE_MAX_CONNECTIONS", "4"));
        worker = new WorkerSimulator(fixture);
        worker.awaitApiSubscribed();
        streams = new OpenStreams(fixture);
    }

    @AfterEach
    void closeClients() {
        streams.closeAll();
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    private String tokenFor(String environment) {
        String token = TestTokens.create(fixture, environment, "server", environment);
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.get("/api/client/features", "Authorization", token)
                .statusCode() == 200);
        return token;
    }

    private void admin(String environment, String what, String body) {
        HttpResponse<String> response = fixture.put("/api/v1/environments/" + environment + "/" + what, body,
                "Authorization", ADMIN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        worker.rewarmAndPublish(environment);
    }

    private SseClient open(String token, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = token;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return streams.open(fixture.uri("/api/client/streaming"), all);
    }

    private static JsonNode data(SseClient.Event event) {
        return FlagJson.readTree(event.data().getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> types(SseClient.Event event) {
        return data(event).get("events").valueStream().map(e -> e.get("type").textValue()).toList();
    }

    @Test
    void hydratesThenSendsEachChangeAsADelta() {
        String env = "streaming-deltas";
        admin(env, "segments/1", "{\"name\":\"beta\",\"constraints\":[{\"contextName\":\"appName\",\"operator\":\"IN\",\"values\":[\"abc\"]}]}");
        admin(env, "flags/web.beta", "{\"enabled\":true,\"strategies\":[{\"name\":\"default\",\"segments\":[1]}]}");
        String token = tokenFor(env);
        SseClient client = open(token);
        assertThat(client.response.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(2)).until(() -> client.events().size() == 1);
        SseClient.Event connected = client.events().getFirst();
        assertThat(connected.event()).isEqualTo("unleash-connected");
        assertThat(types(connected)).containsExactly("hydration");
        JsonNode hydration = data(connected).get("events").get(0);
        assertThat(hydration.get("features").get(0).get("name").textValue()).isEqualTo("web.beta");
        assertThat(hydration.get("segments").get(0).get("id").intValue()).isEqualTo(1);

        fixture.sql("UPDATE feature_flags SET enabled = false WHERE environment = '" + env + "' AND flag_key = 'web.beta'");
        long disabled = worker.rewarmAndPublish(env);
        await().atMost(Duration.ofSeconds(2)).until(() -> client.lastId() == disabled);
        SseClient.Event updated = client.events().getLast();
        assertThat(updated.event()).isEqualTo("unleash-updated");
        assertThat(types(updated)).containsExactly("feature-updated");
        assertThat(data(updated).get("events").get(0).get("feature").get("enabled").booleanValue()).isFalse();

        fixture.sql("UPDATE flag_segments SET constraints = '[{\"contextName\":\"appName\",\"operator\":\"IN\",\"values\":[\"edf\"]}]'"
                + " WHERE environment = '" + env + "'");
        long segment = worker.rewarmAndPublish(env);
        await().atMost(Duration.ofSeconds(2)).until(() -> client.lastId() == segment);
        assertThat(types(client.events().getLast())).containsExactly("segment-updated");

        fixture.sql("DELETE FROM feature_flags WHERE environment = '" + env + "'");
        long removed = worker.rewarmAndPublish(env);
        await().atMost(Duration.ofSeconds(2)).until(() -> client.lastId() == removed);
        JsonNode removal = data(client.events().getLast()).get("events").get(0);
        assertThat(removal.get("type").textValue()).isEqualTo("feature-removed");
        assertThat(removal.get("featureName").textValue()).isEqualTo("web.beta");
    }

    @Test
    void aClientThatMissedTheBaseOfADeltaGetsAHydration() {
        String env = "streaming-base";
        admin(env, "flags/a", "{\"enabled\":true,\"strategies\":[]}");
        String token = tokenFor(env);
        SseClient first = open(token);
        await().atMost(Duration.ofSeconds(2)).until(() -> first.events().size() == 1);
        long start = first.lastId();

        // The second client resumes from a version it cannot have been sent a delta from.
        SseClient behind = open(token, "Last-Event-ID", Long.toString(start - 1));
        SseClient current = open(token, "Last-Event-ID", Long.toString(start));
        await().atMost(Duration.ofSeconds(2)).until(() -> behind.lastId() == start);
        assertThat(behind.events().getFirst().event()).isEqualTo("unleash-connected");
        await().atMost(Duration.ofSeconds(3)).until(current::sawHeartbeat);
        assertThat(current.events()).as("already at the current version").isEmpty();

        fixture.sql("UPDATE feature_flags SET enabled = false WHERE environment = '" + env + "'");
        long next = worker.rewarmAndPublish(env);
        for (SseClient client : List.of(first, behind, current)) {
            await().atMost(Duration.ofSeconds(2)).until(() -> client.lastId() == next);
            assertThat(client.events().getLast().event()).isEqualTo("unleash-updated");
            assertThat(types(client.events().getLast())).containsExactly("feature-updated");
        }
        // The newest frame is now that delta: a client connecting afterwards gets the hydration it carries.
        SseClient late = open(token);
        await().atMost(Duration.ofSeconds(2)).until(() -> late.lastId() == next);
        assertThat(late.events()).extracting(SseClient.Event::event).containsExactly("unleash-connected");
        assertThat(data(late.events().getFirst()).get("events").get(0).get("features").get(0).get("enabled").booleanValue())
                .isFalse();
    }

    @Test
    void tokensAreCheckedAsForTheClientApiAndTheCapIs429() {
        String env = "streaming-tokens";
        admin(env, "flags/a", "{\"enabled\":true,\"strategies\":[]}");
        String token = tokenFor(env);
        String frontend = TestTokens.create(fixture, env + "-web", "frontend", env);
        await().atMost(Duration.ofSeconds(10)).until(() -> open(frontend).response.statusCode() == 403);
        assertThat(open("not-a-token").response.statusCode()).isEqualTo(401);

        for (int i = 0; i < 4; i++) {
            assertThat(open(token).response.statusCode()).isEqualTo(200);
        }
        SseClient refused = open(token);
        assertThat(refused.response.statusCode()).isEqualTo(429);
        assertThat(refused.response.headers().firstValue("Retry-After")).isPresent();
    }
}
