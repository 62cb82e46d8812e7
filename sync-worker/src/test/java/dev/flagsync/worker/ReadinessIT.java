package dev.flagsync.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.shared.flag.FlagJson;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ready means a change made now reaches Redis now (issue 13): with a table big enough that the
 * initial snapshot takes a while, {@code /health/ready} answers 503 naming what it waits for, and
 * once it answers 200 an UPDATE reaches Redis (how soon is printed: 52-219 ms so far).
 */
class ReadinessIT {

    private static final int ROWS = 20_000;

    private static Stack stack;

    @BeforeAll
    static void start() {
        stack = new Stack("readiness_it");
        stack.migrate();
        stack.sql("INSERT INTO feature_flags (environment, flag_key) SELECT 'ready-bulk', 'k' || i FROM generate_series(1, "
                        + ROWS + ") AS i",
                "INSERT INTO feature_flags (environment, flag_key, enabled) VALUES ('ready-demo', 'banner', false)");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aChangeMadeTheMomentTheWorkerIsReadyReachesRedisWithinASecond() throws Exception {
        long started = System.nanoTime();
        try (Worker worker = Worker.start(stack.config(Map.of("RECONCILE_INTERVAL_SECONDS", "3600")));
             WorkerHealth health = WorkerHealth.of(worker)) {
            Set<String> waitedFor = new LinkedHashSet<>();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20)).until(() -> {
                HttpResponse<String> ready = health.get("/health/ready");
                if (ready.statusCode() != 200) {
                    read(ready.body()).path("down").properties().forEach(reason ->
                            waitedFor.add(reason.getKey() + ": " + reason.getValue().asText().replaceAll("\\d+ ms", "N ms")));
                }
                return ready.statusCode() == 200;
            });
            long ready = System.nanoTime();

            stack.sql("UPDATE feature_flags SET enabled = true WHERE environment = 'ready-demo' AND flag_key = 'banner'");
            // How soon after ready is a printed figure, not an assertion.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> stack.cached("ready-demo")
                    .flatMap(snapshot -> snapshot.flag("banner")).map(flag -> flag.enabled()).orElse(false));
            long visible = System.nanoTime();

            System.out.printf("readiness IT: %d rows; worker start to ready %d ms; change after ready visible in %d ms;"
                    + " waited for: %s%n", ROWS, (ready - started) / 1_000_000, (visible - ready) / 1_000_000, waitedFor);
            assertThat(waitedFor).as("what /health/ready answered before 200").isNotEmpty()
                    .allSatisfy(reason -> assertThat(reason).matches("(capture|sync|reconcile): .+"));
        }
    }

    private static JsonNode read(String json) {
        return FlagJson.readTree(json.getBytes(StandardCharsets.UTF_8));
    }
}
