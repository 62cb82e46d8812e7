package dev.flagsync.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.shared.config.Env;
import dev.flagsync.localstack.Ports;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.worker.kafka.KafkaClients;
import dev.flagsync.worker.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Failures while writes go on: the worker process killed with SIGKILL, PostgreSQL restarted, Kafka
 * down for longer than the consumer's poll interval. "Nothing lost" is checked twice: every
 * acknowledged write's value is on the change topic (so the capture, not only the start-up warm,
 * delivered it), and Redis ends equal to PostgreSQL. The in-process workers' {@code /health/live}
 * is sampled throughout: an outage is something to back off from, never a reason to die.
 */
class ResilienceIT {

    private static final int WRITES = 1000;
    private static final Duration POSTGRES_OUTAGE = Duration.ofSeconds(20);
    private static final List<String> FLAGS = List.of("a", "b", "c", "d", "e");

    private static Stack stack;

    @BeforeAll
    static void start() {
        stack = new Stack("resilience_it");
        stack.migrate();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** Each test its own slot and topics, so a replay of one never reaches the other's checks. */
    private static Map<String, String> env(String slot, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(Map.of("RECONCILE_INTERVAL_SECONDS", "3600", "CAPTURE_SLOT_NAME", slot,
                "TOPIC_PREFIX", slot, "SYNC_GROUP_ID", slot + "-sync"));
        env.putAll(overrides);
        return stack.env(env);
    }

    @Test
    void workerKilledAbruptlyLosesNoChange() throws Exception {
        String environment = "res-kill";
        int metricsPort = Ports.free();
        Map<String, String> env = env("res_kill", Map.of("METRICS_PORT", Integer.toString(metricsPort)));
        WorkerProcess first = WorkerProcess.start(env, "resilience-worker-1");
        try (WorkerProcess ignored = first) {
            awaitPipelineUp(environment, new WorkerHealth(metricsPort));
            AtomicInteger done = new AtomicInteger();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(environment, done));
            await().atMost(Duration.ofSeconds(30)).until(() -> done.get() >= WRITES / 4);
            first.kill();
            Map<String, String> secondEnv = new HashMap<>(env);
            secondEnv.put("METRICS_PORT", "0");
            try (WorkerProcess second = WorkerProcess.start(secondEnv, "resilience-worker-2")) {
                writer.get();
                assertNothingLost(env, environment);
            }
        }
    }

    @Test
    void postgresRestartedMidStreamLosesNothing() throws Exception {
        String environment = "res-pg";
        Map<String, String> env = env("res_pg", Map.of());
        try (Worker worker = Worker.start(WorkerConfig.from(new Env(env)));
             WorkerHealth health = WorkerHealth.of(worker)) {
            awaitPipelineUp(environment, health);
            health.watch();
            AtomicInteger done = new AtomicInteger();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(environment, done));
            await().atMost(Duration.ofSeconds(30)).until(() -> done.get() >= WRITES / 4);
            long stopped = System.nanoTime();
            try {
                stack.postgres.stop();
                // Long enough for the capture's backoff to grow to 16 s, which it once waited out
                // after PostgreSQL was back; it retries the lock every 500 ms now.
                await().atMost(Duration.ofSeconds(40)).until(() -> System.nanoTime() - stopped > POSTGRES_OUTAGE.toNanos());
            } finally {
                stack.postgres.start();
            }
            long started = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                    .until(() -> health.get("/health/ready").body().contains("(streaming)"));
            long streaming = (System.nanoTime() - started) / 1_000_000;
            writer.get();
            assertNothingLost(env, environment);
            await().atMost(Duration.ofSeconds(30)).until(health::ready);
            System.out.printf("PostgreSQL down %d s: capture streaming %d ms after its start, a ready worker that lost"
                    + " nothing %d ms after it%n", POSTGRES_OUTAGE.toSeconds(), streaming, (System.nanoTime() - started) / 1_000_000);
            assertThat(streaming).as("ms from PostgreSQL's start until the capture streams again").isLessThan(10_000);
            assertThat(health.liveFailures()).as("/health/live during the restart").isEmpty();
        }
    }

    @Test
    void kafkaDownForLongerThanThePollIntervalLosesNothing() throws Exception {
        String environment = "res-kafka";
        Duration pollInterval = Duration.ofSeconds(5);
        Map<String, String> env = env("res_kafka", Map.of("SYNC_MAX_POLL_INTERVAL_MS",
                Long.toString(pollInterval.toMillis())));
        try (Worker worker = Worker.start(WorkerConfig.from(new Env(env)));
             WorkerHealth health = WorkerHealth.of(worker)) {
            awaitPipelineUp(environment, health);
            health.watch();
            double assignments = worker.metrics().assignments();
            AtomicInteger done = new AtomicInteger();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(environment, done));
            await().atMost(Duration.ofSeconds(30)).until(() -> done.get() >= WRITES / 4);
            long stopped = System.nanoTime();
            stack.kafka.stop();
            try {
                // The outage must outlast the poll interval; the writes go on meanwhile.
                await().atMost(pollInterval.multipliedBy(4)).until(() -> System.nanoTime() - stopped
                        > pollInterval.plusSeconds(1).toNanos() && done.get() > WRITES / 2);
            } finally {
                stack.kafka.start();
            }
            long outage = (System.nanoTime() - stopped) / 1_000_000;
            writer.get();
            assertNothingLost(env, environment);
            await().atMost(Duration.ofSeconds(30)).until(health::ready);
            System.out.printf("Kafka outage of %d ms (max.poll.interval.ms %d): %.0f assignments after it, liveness"
                            + " sampled %d times%n", outage, pollInterval.toMillis(),
                    worker.metrics().assignments() - assignments, health.samples());
            assertThat(health.liveFailures()).as("/health/live during the outage").isEmpty();
        }
    }

    /**
     * Ready first: the writes must start after the capture streams. Before, a kill during the
     * initial snapshot makes Debezium take the snapshot again, and the writes made meanwhile
     * reach the topic only as the rows' final state, not one event each.
     */
    private static void awaitPipelineUp(String environment, WorkerHealth health) {
        stack.sql(FLAGS.stream().map(flag -> "INSERT INTO feature_flags (environment, flag_key) VALUES ('"
                + environment + "', '" + flag + "') ON CONFLICT DO NOTHING").toArray(String[]::new));
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(health::ready);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> stack.cached(environment).map(s -> s.flags().size() == FLAGS.size()).orElse(false));
    }

    /**
     * Each write gives one flag a description no other write uses: "w<i>". A write that fails
     * (PostgreSQL restarting) is retried on a new connection until it is acknowledged.
     */
    private static void write(String environment, AtomicInteger done) {
        int i = 0;
        while (i < WRITES) {
            try (Connection connection = stack.connect(); PreparedStatement update = connection.prepareStatement(
                    "UPDATE feature_flags SET description = ? WHERE environment = ? AND flag_key = ?")) {
                for (; i < WRITES; i++) {
                    update.setString(1, "w" + i);
                    update.setString(2, environment);
                    update.setString(3, FLAGS.get(i % FLAGS.size()));
                    update.executeUpdate();
                    done.incrementAndGet();
                }
            } catch (SQLException e) {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                    try (Connection probe = stack.connect()) {
                        return probe.isValid(1);
                    }
                });
            }
        }
    }

    private static void assertNothingLost(Map<String, String> env, String environment) {
        Set<String> seen = new HashSet<>();
        TopicPartition partition = new TopicPartition(Topics.changes(env.get("TOPIC_PREFIX")), 0);
        WorkerConfig config = WorkerConfig.from(new Env(env));
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(config.kafka(), "resilience-reader")) {
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
                .until(() -> stack.cached(environment).equals(Optional.of(stack.stored(environment))));
    }

    private static JsonNode read(String json) {
        return FlagJson.readTree(json.getBytes(StandardCharsets.UTF_8));
    }
}
