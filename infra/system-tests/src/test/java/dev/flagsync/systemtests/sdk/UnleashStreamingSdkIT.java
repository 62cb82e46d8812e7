package dev.flagsync.systemtests.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Node server SDK ({@code unleash-client} 6.12 from npm) in streaming mode
 * ({@code experimentalMode: {type: 'streaming'}}) against flagsync's {@code /api/client/streaming}:
 * it sees every SQL change (the commit-to-seen times are printed, not asserted), and the delta
 * files of {@code @unleash/client-specification} 6.1.0 pass through it: file 19's hydration
 * state is imported and streamed on connect, file 20's events are made as admin writes one by
 * one, reach the SDK as deltas, and the files' tests run against what the SDK then holds.
 */
class UnleashStreamingSdkIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SPECIFICATIONS = Path.of("node/node_modules/@unleash/client-specification/specifications");
    private static final int CHANGES = 6;

    @RegisterExtension
    static SdkStack stack = SdkStack.shared();

    @Test
    void seesEverySqlChangeThroughTheStream() throws InterruptedException {
        String env = "sdk-unleash-streaming";
        stack.sql("INSERT INTO feature_flags (environment, flag_key, enabled) VALUES ('" + env + "', 'banner', false)");
        String token = stack.createToken("server", env);
        Latencies latencies = new Latencies();
        try (NodeScript node = NodeScript.start("unleash-streaming.mjs", Map.of("API_URL", stack.apiUrl(), "TOKEN", token,
                "CASES", "[{\"toggleName\":\"banner\",\"context\":{\"userId\":\"u-1\"}}]"))) {
            int last = node.awaitLineIndex(line -> line.path("event").asText().equals("synchronized"), Duration.ofSeconds(30));
            assertThat(node.lines().get(last).path("results").path(0).asBoolean()).isFalse();
            for (int change = 1; change <= CHANGES; change++) {
                boolean enabled = change % 2 == 1;
                int after = node.lines().get(last).path("n").asInt();
                long committing = System.nanoTime();
                stack.sql("UPDATE feature_flags SET enabled = " + enabled + " WHERE environment = '" + env + "'");
                try {
                    last = node.awaitLineIndex(line -> line.path("n").asInt(-1) > after
                            && line.path("results").path(0).asBoolean() == enabled, Duration.ofSeconds(20));
                } catch (AssertionError e) {
                    HttpResponse<String> snapshot = stack.http("GET", "/api/v1/environments/" + env + "/flags", token, null);
                    throw new AssertionError("change " + change + " (enabled=" + enabled + ") not seen; SDK lines " + node.lines()
                            + "; /api/client/features now: " + stack.http("GET", "/api/client/features", token, null).body()
                            + "; the API's snapshot: " + snapshot.headers().firstValue("X-Flag-Source").orElse("?") + " " + snapshot.body()
                            + "; PostgreSQL: " + versionInPostgres(env)
                            + "; open streams: " + stack.http("GET", "/metrics", null, null).body().lines()
                                    .filter(line -> line.startsWith("flagsync_sse")).toList(), e);
                }
                latencies.add(Duration.ofNanos(node.nanos(last) - committing).toMillis());
            }
            assertThat(node.lines()).as("it never fell back to polling").noneMatch(line -> line.path("event").asText().equals("mode"));
        }
        System.out.println("UnleashStreamingSdkIT: " + latencies.summary("unleash-client 6.12.1, streaming mode"));
    }

    @Test
    void theDeltaSpecificationFilesPassThroughTheStream() throws Exception {
        JsonNode hydrationSpec = JSON.readTree(SPECIFICATIONS.resolve("19-delta-api-hydration.json").toFile());
        JsonNode eventsSpec = JSON.readTree(SPECIFICATIONS.resolve("20-delta-api-events.json").toFile());

        // 19: the hydration's features and segments, imported as client features, arrive as the connect hydration.
        String hydrationEnv = "sdk-unleash-streaming-19";
        JsonNode hydration = hydrationSpec.path("state").path("events").path(0);
        ObjectNode state = JSON.createObjectNode();
        state.set("features", hydration.path("features"));
        state.set("segments", hydration.path("segments"));
        HttpResponse<String> imported = stack.http("POST", "/api/v1/environments/" + hydrationEnv + "/import",
                stack.adminToken(), state.toString());
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        assertThat(SdkStack.read(imported.body()).path("refused")).as(imported.body()).isEmpty();
        runCases(hydrationSpec, hydrationEnv, () -> { }, false);

        // 20: the SDK starts on an empty environment; each event becomes one admin write.
        String eventsEnv = "sdk-unleash-streaming-20";
        runCases(eventsSpec, eventsEnv, () -> eventsSpec.path("state").path("events").forEach(event -> write(eventsEnv, event)), true);
    }

    /**
     * Starts the SDK on {@code env}, makes the writes once it is synchronised, and checks the
     * file's tests; with {@code deltas}, the writes must have gone over the wire as deltas.
     */
    private void runCases(JsonNode spec, String env, Runnable writes, boolean deltas) throws Exception {
        String token = stack.createToken("server", env);
        ArrayNode cases = JSON.createArrayNode();
        spec.path("tests").forEach(test -> cases.addObject().put("toggleName", test.path("toggleName").asText())
                .set("context", test.path("context")));
        List<Boolean> expected = spec.path("tests").valueStream().map(test -> test.path("expectedResult").asBoolean()).toList();
        List<String> frames = new CopyOnWriteArrayList<>();
        try (NodeScript node = NodeScript.start("unleash-streaming.mjs", Map.of("API_URL", stack.apiUrl(), "TOKEN", token,
                "CASES", cases.toString()));
             Stream<String> raw = rawStream(token, frames)) {
            node.awaitLine(line -> line.path("event").asText().equals("synchronized"), Duration.ofSeconds(30));
            writes.run();
            JsonNode passed = node.awaitLine(line -> results(line).equals(expected), Duration.ofSeconds(20));
            System.out.printf("UnleashStreamingSdkIT: %s: %d of %d tests pass through the stream (SDK answers %s)%n",
                    spec.path("name").asText(), expected.size(), expected.size(), passed.path("results"));
            if (deltas) {
                await("deltas on the wire").atMost(Duration.ofSeconds(10)).until(() -> frames.size() >= 2);
            }
        }
        System.out.printf("UnleashStreamingSdkIT: %s: frames on the wire %s%n", spec.path("name").asText(), frames);
        assertThat(frames).first().isEqualTo("unleash-connected");
        if (deltas) {
            assertThat(frames.subList(1, frames.size())).isNotEmpty().containsOnly("unleash-updated");
        }
    }

    private static String versionInPostgres(String env) {
        try (Connection connection = DriverManager.getConnection(stack.jdbcUrl(), "flagsync", "flagsync");
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT v.version, f.enabled FROM flag_environment_versions v JOIN feature_flags f USING (environment)"
                             + " WHERE environment = '" + env + "'")) {
            return rows.next() ? "version " + rows.getLong(1) + ", enabled " + rows.getBoolean(2) : "no rows";
        } catch (SQLException e) {
            return "unreadable: " + e;
        }
    }

    private static List<Boolean> results(JsonNode line) {
        return line.path("results").valueStream().map(JsonNode::asBoolean).toList();
    }

    /** One delta event of file 20 as the admin write a user would make. */
    private static void write(String env, JsonNode event) {
        String base = "/api/v1/environments/" + env;
        HttpResponse<String> response = switch (event.path("type").asText()) {
            case "feature-updated" -> {
                JsonNode feature = event.path("feature");
                ObjectNode body = JSON.createObjectNode();
                body.put("enabled", feature.path("enabled").asBoolean());
                body.set("strategies", feature.path("strategies"));
                body.set("variants", feature.path("variants"));
                body.put("impressionData", feature.path("impressionData").asBoolean());
                yield stack.http("PUT", base + "/flags/" + feature.path("name").asText(), stack.adminToken(), body.toString());
            }
            case "feature-removed" -> stack.http("DELETE", base + "/flags/" + event.path("featureName").asText(),
                    stack.adminToken(), null);
            case "segment-updated" -> {
                JsonNode segment = event.path("segment");
                ObjectNode body = JSON.createObjectNode().put("name", segment.path("name").asText());
                body.set("constraints", segment.path("constraints"));
                yield stack.http("PUT", base + "/segments/" + segment.path("id").asInt(), stack.adminToken(), body.toString());
            }
            default -> throw new AssertionError("file 20 has no such event: " + event);
        };
        assertThat(response.statusCode()).as("%s: %s", event, response.body()).isIn(200, 204);
    }

    /** The stream as a second client reads it, to show which frames went over the wire ({@code event:} names). */
    private static Stream<String> rawStream(String token, List<String> frames) throws IOException, InterruptedException {
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/api/client/streaming")).header("Authorization", token).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        Stream<String> lines = response.body();
        Thread.ofVirtual().start(() -> {
            try {
                lines.filter(line -> line.startsWith("event: ")).forEach(line -> frames.add(line.substring(7)));
            } catch (RuntimeException e) {
                // closed at the end of the test
            }
        });
        return lines;
    }
}
