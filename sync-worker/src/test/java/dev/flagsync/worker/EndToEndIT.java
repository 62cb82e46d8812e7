package dev.flagsync.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.lifecycle.Components;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SQL written as psql would write it reaches HTTP readers: PostgreSQL → capture → Kafka →
 * sync → Redis + PUBLISH → the API (its own process, as deployed) → GET and SSE. The API keeps
 * its default 10 s memory TTL and every test reads the environment before changing it, so a
 * pass within a few seconds shows the change notification, not the TTL, refreshed the API.
 */
class EndToEndIT {

    static final Path API_JAR = Path.of("..", "api", "target", "flagsync-api.jar");
    /** After the pipeline is up; propagation itself takes tens of milliseconds (docs/benchmarks.md). */
    private static final Duration CHANGE = Duration.ofSeconds(5);

    /** Closed in reverse order of start, each even if an earlier start failed. */
    private static final Components started = new Components();
    private static Stack stack;
    private static Worker worker;
    private static ApiProcess api;

    @BeforeAll
    static void start() throws Exception {
        stack = started.own(new Stack("end_to_end_it"));
        stack.migrate();
        worker = started.own(Worker.start(stack.config(Map.of("RECONCILE_INTERVAL_SECONDS", "3600"))));
        api = started.own(ApiProcess.start(API_JAR, ApiProcess.envFrom(stack.env(Map.of())),
                Path.of("target", "end-to-end-it-api.log")));
        // Capture, Kafka and the consumer group take a while to start; the tests' short waits start after.
        stack.sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('e2e-ready', 'up')");
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> flag("e2e-ready", "up").statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        started.close();
    }

    @Test
    void insertUpdateAndDeleteShowThroughTheApi() throws Exception {
        assertThat(flags("e2e-crud").path("flags")).isEmpty();

        stack.sql("INSERT INTO feature_flags (environment, flag_key, enabled, rollout_percentage) VALUES ('e2e-crud', 'checkout', true, 25)");
        await().atMost(CHANGE).ignoreExceptions().until(() -> rollout(flags("e2e-crud"), "checkout") == 25);
        assertThat(json(flag("e2e-crud", "checkout")).path("enabled").asBoolean()).isTrue();

        stack.sql("UPDATE feature_flags SET rollout_percentage = 75 WHERE environment = 'e2e-crud' AND flag_key = 'checkout'");
        await().atMost(CHANGE).ignoreExceptions().until(() -> rollout(flags("e2e-crud"), "checkout") == 75);
        assertThat(json(flag("e2e-crud", "checkout")).path("rolloutPercentage").asInt()).isEqualTo(75);

        stack.sql("DELETE FROM feature_flags WHERE environment = 'e2e-crud' AND flag_key = 'checkout'");
        await().atMost(CHANGE).ignoreExceptions().until(() -> flags("e2e-crud").path("flags").isEmpty());
        assertThat(flag("e2e-crud", "checkout").statusCode()).isEqualTo(404);
        assertThat(flags("e2e-crud").path("version").asLong()).isEqualTo(databaseVersion("e2e-crud"));
    }

    @Test
    void rowMovedToAnotherEnvironmentShowsInBoth() throws Exception {
        stack.sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('e2e-from', 'mover')");
        await().atMost(CHANGE).ignoreExceptions().until(() -> flag("e2e-from", "mover").statusCode() == 200);
        assertThat(flag("e2e-to", "mover").statusCode()).isEqualTo(404);

        stack.sql("UPDATE feature_flags SET environment = 'e2e-to' WHERE environment = 'e2e-from' AND flag_key = 'mover'");

        await().atMost(CHANGE).ignoreExceptions().until(() -> keys(flags("e2e-to")).equals(List.of("mover"))
                && keys(flags("e2e-from")).isEmpty());
        assertThat(flag("e2e-from", "mover").statusCode()).isEqualTo(404);
        assertThat(flag("e2e-to", "mover").statusCode()).isEqualTo(200);
    }

    @Test
    void streamReceivesTheEventForAnUpdate() throws Exception {
        stack.sql("INSERT INTO feature_flags (environment, flag_key, enabled) VALUES ('e2e-stream', 'banner', false)");
        await().atMost(CHANGE).ignoreExceptions().until(() -> flag("e2e-stream", "banner").statusCode() == 200);

        try (SseStream stream = SseStream.open(api.base.resolve("/api/v1/environments/e2e-stream/flags/stream"))) {
            long connected = databaseVersion("e2e-stream");
            await().atMost(CHANGE).until(() -> stream.eventAtLeast(connected).isPresent());

            stack.sql("UPDATE feature_flags SET enabled = true WHERE environment = 'e2e-stream' AND flag_key = 'banner'");
            long updated = databaseVersion("e2e-stream");
            assertThat(updated).isGreaterThan(connected);

            await().atMost(CHANGE).until(() -> stream.eventAtLeast(updated).isPresent());
            JsonNode snapshot = read(stream.eventAtLeast(updated).orElseThrow().data());
            assertThat(snapshot.path("version").asLong()).isEqualTo(updated);
            assertThat(snapshot.path("flags").get(0).path("enabled").asBoolean()).isTrue();
        }
    }

    private static HttpResponse<String> flag(String environment, String key) throws Exception {
        return api.get("/api/v1/environments/" + environment + "/flags/" + key);
    }

    private static JsonNode flags(String environment) throws Exception {
        HttpResponse<String> response = api.get("/api/v1/environments/" + environment + "/flags");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private static int rollout(JsonNode snapshot, String key) {
        return flagIn(snapshot, key).map(flag -> flag.path("rolloutPercentage").asInt()).orElse(-1);
    }

    private static Optional<JsonNode> flagIn(JsonNode snapshot, String key) {
        for (JsonNode flag : snapshot.path("flags")) {
            if (key.equals(flag.path("key").asText())) {
                return Optional.of(flag);
            }
        }
        return Optional.empty();
    }

    private static List<String> keys(JsonNode snapshot) {
        List<String> keys = new ArrayList<>();
        snapshot.path("flags").forEach(flag -> keys.add(flag.path("key").asText()));
        return keys;
    }

    private static long databaseVersion(String environment) throws SQLException {
        try (Connection connection = stack.connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT version FROM flag_environment_versions WHERE environment = ?")) {
            query.setString(1, environment);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return read(response.body());
    }

    private static JsonNode read(String json) {
        return FlagJson.readTree(json.getBytes(StandardCharsets.UTF_8));
    }
}
