package dev.flagsync.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.shared.flag.FlagJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Failures while writes go on: the worker process killed with SIGKILL, Kafka restarted.
 * "Nothing lost" is checked twice: every write's value is on the change topic (so the
 * capture, not only the start-up warm, delivered it), and Redis ends equal to PostgreSQL.
 */
class ResilienceIT {

    private static final int WRITES = 2000;
    private static final List<String> FLAGS = List.of("a", "b", "c", "d", "e");

    private static Stack stack;
    private static Map<String, String> env;

    @BeforeAll
    static void start() {
        stack = new Stack("resilience_it");
        stack.migrate();
        env = stack.env(Map.of("RECONCILE_INTERVAL_SECONDS", "3600"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void workerKilledAbruptlyLosesNoChange() throws Exception {
        String environment = "res-kill";
        WorkerProcess first = WorkerProcess.start(env, "resilience-worker-1");
        try (WorkerProcess ignored = first) {
            awaitPipelineUp(environment);
            AtomicInteger done = new AtomicInteger();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(environment, done));
            await().atMost(Duration.ofSeconds(30)).until(() -> done.get() >= WRITES / 4);
            first.kill();
            try (WorkerProcess second = WorkerProcess.start(env, "resilience-worker-2")) {
                writer.get();
                assertNothingLost(environment);
            }
        }
    }

    @Test
    void kafkaRestartMidStreamLosesNothing() throws Exception {
        String environment = "res-kafka";
        try (WorkerProcess worker = WorkerProcess.start(env, "resilience-worker-3")) {
            awaitPipelineUp(environment);
            AtomicInteger done = new AtomicInteger();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(environment, done));
            await().atMost(Duration.ofSeconds(30)).until(() -> done.get() >= WRITES / 4);
            stack.kafka.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> done.get() >= WRITES / 2);
            stack.kafka.start();
            writer.get();
            assertThat(worker.isAlive()).isTrue();
            assertNothingLost(environment);
        }
    }

    private static void awaitPipelineUp(String environment) {
        stack.sql(FLAGS.stream().map(flag -> "INSERT INTO feature_flags (environment, flag_key) VALUES ('"
                + environment + "', '" + flag + "') ON CONFLICT DO NOTHING").toArray(String[]::new));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> stack.cached(environment).map(s -> s.flags().size() == FLAGS.size()).orElse(false));
        // The reconciler's warm-up at start can fill Redis before the capture has its slot; writes
        // made before the slot exists never reach the topic. A marker seen on the topic proves the
        // capture streams, so every write after it is captured.
        String marker = "pipeline-up-" + System.nanoTime();
        stack.sql("UPDATE feature_flags SET description = '" + marker + "' WHERE environment = '" + environment
                + "' AND flag_key = '" + FLAGS.getFirst() + "'");
        TopicPartition partition = new TopicPartition(Topics.changes(env.get("TOPIC_PREFIX")), 0);
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(stack.config(Map.of()), "resilience-ready")) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            Set<String> seen = new HashSet<>();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                    if (record.value() != null) {
                        seen.add(read(record.value()).path("after").path("description").asText());
                    }
                });
                return seen.contains(marker);
            });
        }
    }

    /** Each write gives one flag a description no other write uses: "w<i>". */
    private static void write(String environment, AtomicInteger done) {
        try (Connection connection = stack.connect(); PreparedStatement update = connection.prepareStatement(
                "UPDATE feature_flags SET description = ? WHERE environment = ? AND flag_key = ?")) {
            for (int i = 0; i < WRITES; i++) {
                update.setString(1, "w" + i);
                update.setString(2, environment);
                update.setString(3, FLAGS.get(i % FLAGS.size()));
                update.executeUpdate();
                done.incrementAndGet();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertNothingLost(String environment) {
        Set<String> seen = new HashSet<>();
        TopicPartition partition = new TopicPartition(Topics.changes(env.get("TOPIC_PREFIX")), 0);
        WorkerConfig config = stack.config(Map.of());
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(config, "resilience-reader")) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                    JsonNode after = record.value() == null ? null : read(record.value()).path("after");
                    if (after != null && environment.equals(after.path("environment").asText())) {
                        seen.add(after.path("description").asText());
                    }
                });
                return seen.size() >= WRITES + 1;
            });
        }
        for (int i = 0; i < WRITES; i++) {
            assertThat(seen).contains("w" + i);
        }
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> stack.cached(environment).equals(java.util.Optional.of(stack.stored(environment))));
    }

    private static JsonNode read(String json) {
        return FlagJson.readTree(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
