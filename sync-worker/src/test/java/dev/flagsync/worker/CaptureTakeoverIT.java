package dev.flagsync.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.shared.config.Env;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.worker.kafka.KafkaClients;
import dev.flagsync.worker.kafka.Topics;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Workers with the capture role only, two per slot: one captures, the other stands by (ready,
 * gauge {@code flagsync_capture_active} 0) and takes over when the first dies or loses its
 * lock. "None lost" is checked on the change topic itself, and in the first test also in Redis,
 * through a worker with the sync role only.
 */
class CaptureTakeoverIT {

    private static Stack stack;

    @BeforeAll
    static void start() {
        stack = new Stack("takeover_it");
        stack.migrate();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** Each test its own slot, publication and topics, so neither sees the other's captures. */
    private static Map<String, String> env(String slot) {
        return stack.env(Map.of("WORKER_ROLES", "capture", "CAPTURE_SLOT_NAME", slot, "TOPIC_PREFIX", slot));
    }

    @Test
    void standbyTakesOverWhenTheCapturingProcessIsKilledAndLosesNoChange() throws Exception {
        Map<String, String> env = env("takeover_kill");
        Map<String, String> syncOnly = new HashMap<>(env);
        syncOnly.putAll(Map.of("WORKER_ROLES", "sync", "RECONCILE_INTERVAL_SECONDS", "3600"));
        try (WorkerProcess first = WorkerProcess.start(env, "takeover-first");
             Worker sync = Worker.start(WorkerConfig.from(new Env(syncOnly)))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> slotIsRead("takeover_kill"));
            try (Worker second = Worker.start(WorkerConfig.from(new Env(env)))) {
                awaitStandingBy(second);
                insert("takeover-kill", 0, 20);

                first.kill();
                insert("takeover-kill", 20, 60);

                await().atMost(Duration.ofSeconds(30)).until(() -> second.metrics().captureActive() == 1);
                assertOnChangeTopic("takeover_kill", "takeover-kill", 60);
                // The sync role on a worker of its own, with no reconciliation: only the topic fills Redis.
                await().atMost(Duration.ofSeconds(30)).until(() -> stack.cached("takeover-kill")
                        .map(snapshot -> snapshot.flags().size() == 60).orElse(false));
            }
        }
    }

    @Test
    void captureThatLosesItsLockStopsStandsByAndResumesWhenTheOtherStops() throws Exception {
        WorkerConfig config = WorkerConfig.from(new Env(env("takeover_lock")));
        try (Worker first = Worker.start(config)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> first.metrics().captureActive() == 1);
            try (Worker second = Worker.start(config)) {
                awaitStandingBy(second);

                // What PostgreSQL sees when the holder's lock session dies: its engine still runs.
                terminateLockHolder();

                await().atMost(Duration.ofSeconds(30)).until(() -> first.metrics().captureActive() == 0
                        && second.metrics().captureActive() == 1);
                awaitStandingBy(first);
                insert("takeover-lock", 0, 20);
                assertOnChangeTopic("takeover_lock", "takeover-lock", 20);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> first.metrics().captureActive() == 1);
            insert("takeover-lock", 20, 40);
            assertOnChangeTopic("takeover_lock", "takeover-lock", 40);
        }
    }

    private static boolean slotIsRead(String slot) throws Exception {
        try (Connection connection = stack.connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
            query.setString(1, slot);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static void awaitStandingBy(Worker worker) {
        WorkerHealth health = WorkerHealth.of(worker);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<String> response = health.get("/health/ready");
            return response.statusCode() == 200 && response.body().contains("standing by")
                    && worker.metrics().captureActive() == 0;
        });
    }

    private static void terminateLockHolder() {
        stack.sql("SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database()");
    }

    private static void insert(String environment, int from, int to) {
        stack.sql(IntStream.range(from, to).mapToObj(i -> "INSERT INTO feature_flags (environment, flag_key) VALUES ('"
                + environment + "', 'k" + i + "')").toArray(String[]::new));
    }

    /** Every key k0..k(count-1) of the environment was published, whichever worker captured it. */
    private static void assertOnChangeTopic(String prefix, String environment, int count) {
        Set<String> seen = new HashSet<>();
        TopicPartition partition = new TopicPartition(Topics.changes(prefix), 0);
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(stack.config(Map.of()).kafka(), "takeover-reader")) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(300)).forEach(record -> {
                    JsonNode after = record.value() == null ? null
                            : FlagJson.readTree(record.value().getBytes(StandardCharsets.UTF_8)).path("after");
                    if (after != null && environment.equals(after.path("environment").asText())) {
                        seen.add(after.path("flag_key").asText());
                    }
                });
                return seen.size() >= count;
            });
        }
        assertThat(seen).containsAll(IntStream.range(0, count).mapToObj(i -> "k" + i).toList());
    }
}
