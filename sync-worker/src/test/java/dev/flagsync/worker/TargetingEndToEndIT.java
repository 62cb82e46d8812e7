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
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Unleash's rule model end to end: strategies, variants and segments written with plain SQL, as
 * psql would, reach OFREP answers of the API (its own process) through capture, Kafka, sync, Redis
 * and the change notice (issue 8's bar of a second is a figure, printed per step and kept in
 * docs/benchmarks.md, not an assertion). The API keeps its default 10 s memory TTL and each step
 * reads before it writes, so a pass within {@link #WITHIN} (half the TTL) shows the change
 * notice, not the TTL, refreshed the API. Reconciliation is off, so every change came through the
 * capture.
 */
class TargetingEndToEndIT {

    /** Under the API's 10 s memory TTL, so only the change notice can have refreshed its answer. */
    private static final Duration WITHIN = Duration.ofSeconds(5);
    private static final String ENV = "tgt-e2e";

    private static final Components started = new Components();
    private static Stack stack;
    private static Worker worker;
    private static ApiProcess api;
    private static final Map<String, Long> timings = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        stack = started.own(new Stack("targeting_e2e_it"));
        stack.migrate();
        // The publication as a worker of the previous release left it, without flag_segments: the
        // worker must add the table itself (Debezium alters a "filtered" publication at start).
        stack.sql("CREATE PUBLICATION " + stack.name + " FOR TABLE feature_flags, flagsync_heartbeat");
        worker = started.own(Worker.start(stack.config(Map.of("RECONCILE_INTERVAL_SECONDS", "3600"))));
        api = started.own(ApiProcess.start(EndToEndIT.API_JAR, ApiProcess.envFrom(stack.env(Map.of())),
                Path.of("target", "targeting-end-to-end-it-api.log")));
        // Capture, Kafka and the consumer group take a while to start; the timed steps come after.
        stack.sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('tgt-ready', 'up')");
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                .until(() -> api.get("/api/v1/environments/tgt-ready/flags/up").statusCode() == 200);
        stack.sql("INSERT INTO flag_segments (environment, segment_id, name) VALUES ('tgt-ready', 1, 'up')");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> api.get("/api/v1/environments/tgt-ready/flags").body().contains("\"segments\""));
    }

    @AfterAll
    static void stop() {
        timings.forEach((step, ms) -> System.out.printf("capture to OFREP answer, %s: %d ms%n", step, ms));
        started.close();
    }

    @Test
    void thePublicationOfAnEarlierReleaseGainsFlagSegments() throws Exception {
        try (Connection connection = stack.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT tablename FROM pg_publication_tables WHERE pubname = '"
                     + stack.name + "' ORDER BY tablename")) {
            List<String> tables = new ArrayList<>();
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
            assertThat(tables).containsExactly("feature_flags", "flag_segments", "flagsync_heartbeat");
        }
    }

    @Test
    void psqlWrittenStrategyVariantAndSegmentReachOfrepWithinASecond() throws Exception {
        assertThat(ofrep(ENV, "checkout", "{\"targetingKey\":\"u1\",\"country\":\"NO\"}").path("errorCode").asText())
                .isEqualTo("FLAG_NOT_FOUND");

        timed("strategy with a constraint and variants (INSERT)", """
                INSERT INTO feature_flags (environment, flag_key, enabled, strategies, variants) VALUES ('tgt-e2e', 'checkout', true,
                  '[{"name":"default","parameters":{},"constraints":[{"contextName":"country","operator":"IN","values":["NO","SE"]}]}]',
                  '[{"name":"blue","weight":500,"stickiness":"userId","payload":{"type":"json","value":"{\\"color\\":\\"#0057b8\\"}"}},
                    {"name":"green","weight":500,"stickiness":"userId","payload":{"type":"json","value":"{\\"color\\":\\"#2e7d32\\"}"}}]')""",
                () -> ofrep(ENV, "checkout", "{\"targetingKey\":\"u1\",\"country\":\"NO\"}"),
                answer -> answer.path("value").has("color") && answer.path("variant").asText().matches("blue|green"));
        assertThat(ofrep(ENV, "checkout", "{\"targetingKey\":\"u1\",\"country\":\"DK\"}").has("value")).isFalse();

        timed("variant weights (UPDATE)", "UPDATE feature_flags SET variants = "
                        + "'[{\"name\":\"green\",\"weight\":1,\"payload\":{\"type\":\"string\",\"value\":\"go\"}}]'"
                        + " WHERE environment = 'tgt-e2e' AND flag_key = 'checkout'",
                () -> ofrep(ENV, "checkout", "{\"targetingKey\":\"u1\",\"country\":\"NO\"}"),
                answer -> answer.path("variant").asText().equals("green") && answer.path("value").asText().equals("go"));

        stack.sql("INSERT INTO feature_flags (environment, flag_key, enabled, strategies) VALUES ('tgt-e2e', 'export', true,"
                + " '[{\"name\":\"default\",\"parameters\":{},\"segments\":[3]}]')");
        awaitAnswer("flag naming a missing segment (INSERT)", ENV, Duration.ofSeconds(5),
                () -> ofrep(ENV, "export", "{\"plan\":\"enterprise\"}"), answer -> answer.has("value"));
        assertThat(ofrep(ENV, "export", "{\"plan\":\"enterprise\"}").path("value").asBoolean()).isFalse(); // no segment 3 yet

        timed("segment (INSERT)", "INSERT INTO flag_segments (environment, segment_id, name, constraints) VALUES ('tgt-e2e', 3,"
                        + " 'enterprise', '[{\"contextName\":\"plan\",\"operator\":\"IN\",\"values\":[\"enterprise\"]}]')",
                () -> ofrep(ENV, "export", "{\"plan\":\"enterprise\"}"), answer -> answer.path("value").asBoolean());

        timed("segment edit (UPDATE)", "UPDATE flag_segments SET constraints = "
                        + "'[{\"contextName\":\"plan\",\"operator\":\"IN\",\"values\":[\"pro\"]}]'"
                        + " WHERE environment = 'tgt-e2e' AND segment_id = 3",
                () -> ofrep(ENV, "export", "{\"plan\":\"pro\"}"), answer -> answer.path("value").asBoolean());
        assertThat(ofrep(ENV, "export", "{\"plan\":\"enterprise\"}").path("value").asBoolean()).isFalse();

        // The raw reads carry the rule fields and the segments (contract section 6).
        JsonNode snapshot = json(api.get("/api/v1/environments/" + ENV + "/flags"));
        assertThat(snapshot.path("segments").get(0).path("constraints").get(0).path("values").get(0).asText()).isEqualTo("pro");
        assertThat(snapshot.path("flags").get(0).path("strategies").get(0).path("name").asText()).isEqualTo("default");
        try (SseStream stream = SseStream.open(api.base.resolve("/api/v1/environments/" + ENV + "/flags/stream"))) {
            long version = snapshot.path("version").asLong();
            await().atMost(Duration.ofSeconds(5)).until(() -> stream.eventAtLeast(version).isPresent());
            assertThat(read(stream.eventAtLeast(version).orElseThrow().data()).path("segments")).hasSize(1);
        }

        timed("segment delete (DELETE)", "DELETE FROM flag_segments WHERE environment = 'tgt-e2e' AND segment_id = 3",
                () -> ofrep(ENV, "export", "{\"plan\":\"pro\"}"), answer -> !answer.path("value").asBoolean(true));
    }

    @Test
    void anUnreadableRowLeavesEveryOtherFlagServedAndIsCounted() throws Exception {
        String env = "tgt-unreadable";
        stack.sql("INSERT INTO feature_flags (environment, flag_key, enabled) VALUES ('" + env + "', 'good', true)");
        awaitAnswer("readable row (INSERT)", env, Duration.ofSeconds(5), () -> bulk(env), answer -> answer.path("flags").size() == 1);

        stack.sql("INSERT INTO feature_flags (environment, flag_key, enabled, strategies) VALUES ('" + env + "', 'bad', true,"
                + " '{\"name\":\"default\"}')");

        awaitAnswer("unreadable row (INSERT)", env, Duration.ofSeconds(5), () -> bulk(env), answer -> answer.path("flags").size() == 2);
        Map<String, JsonNode> answers = new LinkedHashMap<>();
        bulk(env).path("flags").forEach(entry -> answers.put(entry.path("key").asText(), entry));
        assertThat(answers.get("bad").path("errorCode").asText()).isEqualTo("PARSE_ERROR");
        assertThat(answers.get("bad").path("errorDetails").asText()).contains("strategies");
        assertThat(answers.get("good").path("value").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/environments/" + env + "/flags").statusCode()).isEqualTo(200);
        assertThat(unreadableGauge(env, "flag")).isEqualTo(1.0);

        stack.sql("UPDATE feature_flags SET strategies = '[]' WHERE environment = '" + env + "' AND flag_key = 'bad'");
        awaitAnswer("unreadable row mended (UPDATE)", env, Duration.ofSeconds(5), () -> ofrep(env, "bad", "{}"),
                answer -> answer.path("value").asBoolean());
        assertThat(unreadableGauge(env, "flag")).isZero();
        assertThat(api.log()).content().contains("flag bad is served disabled, its rules cannot be read");

        // A segment row whose constraints are no list: counted under kind "segment", every flag still served.
        stack.sql("INSERT INTO flag_segments (environment, segment_id, name, constraints) VALUES ('" + env + "', 5, 'broken',"
                + " '{\"contextName\":\"plan\"}')");
        awaitAnswer("unreadable segment (INSERT)", env, Duration.ofSeconds(5), () -> json(api.get("/api/v1/environments/" + env + "/flags")),
                snapshot -> snapshot.path("segments").size() == 1);
        assertThat(ofrep(env, "good", "{}").path("value").asBoolean()).isTrue();
        assertThat(ofrep(env, "bad", "{}").path("value").asBoolean()).isTrue();
        assertThat(unreadableGauge(env, "segment")).isEqualTo(1.0);
        assertThat(api.log()).content().contains("segment 5 is served disabled, its rules cannot be read");
    }

    /** Commits {@code sql}, then waits (at most {@link #WITHIN}) for the answer to pass {@code done}; records the time. */
    private static void timed(String step, String sql, ThrowingSupplier answer, Predicate<JsonNode> done) {
        stack.sql(sql);
        long committed = System.nanoTime();
        awaitAnswer(step, ENV, WITHIN, answer, done);
        timings.put(step, (System.nanoTime() - committed) / 1_000_000);
    }

    /**
     * Polls {@code answer} until it passes {@code done}; a timeout says how far the change got
     * (the versions in PostgreSQL and Redis) and the last answer, so a failure shows which stage stalled.
     */
    private static void awaitAnswer(String step, String env, Duration bound, ThrowingSupplier answer, Predicate<JsonNode> done) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        long started = System.nanoTime();
        try {
            await(step).atMost(bound).pollInterval(Duration.ofMillis(5)).until(() -> {
                last.set(answer.get());
                return done.test(last.get());
            });
        } catch (ConditionTimeoutException e) {
            String where = "PostgreSQL has version " + stack.stored(env).version() + ", Redis "
                    + stack.cached(env).map(cached -> Long.toString(cached.version())).orElse("nothing") + "; last answer " + last.get();
            // Still a failure: only says whether the change was late or lost.
            String late;
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> done.test(answer.get()));
                late = "it arrived " + (System.nanoTime() - started) / 1_000_000 + " ms after the commit";
            } catch (ConditionTimeoutException never) {
                late = "it had not arrived 30 s later either";
            }
            throw new AssertionError(step + ": not answered within " + bound.toMillis() + " ms; " + where + "; " + late, e);
        }
    }

    @FunctionalInterface
    private interface ThrowingSupplier {
        JsonNode get() throws Exception;
    }

    private static JsonNode ofrep(String env, String key, String context) throws Exception {
        return read(api.post("/ofrep/v1/evaluate/flags/" + key, "{\"context\":" + context + "}",
                "X-Flag-Environment", env).body());
    }

    private static JsonNode bulk(String env) throws Exception {
        return read(api.post("/ofrep/v1/evaluate/flags", "{\"context\":{\"targetingKey\":\"u\"}}", "X-Flag-Environment", env).body());
    }

    private static double unreadableGauge(String env, String kind) throws Exception {
        Matcher gauge = Pattern.compile("flagsync_rules_unreadable\\{environment=\"" + env + "\",kind=\"" + kind + "\"} (\\S+)")
                .matcher(api.get("/metrics").body());
        return gauge.find() ? Double.parseDouble(gauge.group(1)) : -1;
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return read(response.body());
    }

    private static JsonNode read(String json) {
        return FlagJson.readTree(json.getBytes(StandardCharsets.UTF_8));
    }
}
