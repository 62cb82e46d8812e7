package dev.flagsync.api.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flagsync.api.ApiFixture;
import dev.flagsync.api.LoadAverage;
import dev.flagsync.api.SseClient;
import dev.flagsync.api.WorkerSimulator;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With Redis down the change subscription is lost and no worker can rewarm anything, yet a commit
 * must still reach an open stream before Redis is back: the API polls PostgreSQL's versions and
 * reads the new snapshot from there. Prints commit-to-frame latency over {@value #CHANGES} changes
 * (a figure for docs/benchmarks.md, not an assertion).
 */
class RedisOutageStreamIT {

    private static final String ENV = "outage-push";
    private static final int CHANGES = 20;
    private static final long PACE_MS = 170;
    private static final Pattern POLLS = Pattern.compile("(?m)^flagsync_changes_polls_total (\\S+)$");

    private ApiFixture fixture;
    private WorkerSimulator worker;

    @BeforeEach
    void start() {
        // Its own Redis, which this test stops. A long memory TTL: only a push can show a change.
        fixture = ApiFixture.withOwnRedis(Map.of("MEMORY_CACHE_TTL_MS", "600000"));
        worker = new WorkerSimulator(fixture);
        fixture.sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('" + ENV + "', 'f')");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private String metrics() {
        return fixture.get("/metrics").body();
    }

    private double polls() {
        Matcher matcher = POLLS.matcher(metrics());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    @Test
    void commitsReachAnOpenStreamWhileRedisIsDown() throws SQLException {
        worker.awaitApiSubscribed();
        long first = worker.rewarmAndPublish(ENV);
        try (SseClient client = SseClient.open(fixture.uri("/api/v1/environments/" + ENV + "/flags/stream"))) {
            await().atMost(Duration.ofSeconds(2)).until(() -> client.lastId() == first);

            fixture.redis.stop();
            await().atMost(Duration.ofSeconds(5)).until(() -> metrics().contains("flagsync_changes_polling 1.0"));

            // Commits at their own pace, out of step with the 250 ms poll, so the figure is not
            // phase-locked to it; each is timed from its commit to the first frame that includes it.
            Map<Long, Long> committed = commitChanges();
            long last = committed.keySet().stream().max(Long::compare).orElseThrow();
            // Every commit reaches the stream while Redis is still down (it is started again below).
            // How fast is a figure (printed; docs/benchmarks.md), not an assertion.
            await().atMost(Duration.ofSeconds(30)).until(() -> client.lastId() >= last);
            List<Long> latencies = new ArrayList<>();
            committed.forEach((version, began) -> latencies.add(client.arrivalNanosFrom(version) - began));
            print(latencies);
            assertThat(latencies).hasSize(committed.size()).allSatisfy(nanos -> assertThat(nanos).isPositive());

            HttpResponse<String> read = fixture.get("/api/v1/environments/" + ENV + "/flags");
            assertThat(read.headers().firstValue("ETag")).hasValue("\"" + client.lastId() + "\"");
            HttpResponse<String> ready = fixture.get("/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"status\":\"degraded\"").contains("\"change-subscriber\":\"failing since");

            // Back to notifications: the poll stops, and a published change is pushed as before.
            fixture.redis.start();
            worker.awaitApiSubscribed();
            await().atMost(Duration.ofSeconds(5)).until(() -> metrics().contains("flagsync_changes_polling 0.0"));
            double polled = polls();
            await().during(Duration.ofMillis(750)).atMost(Duration.ofSeconds(3)).until(() -> polls() == polled);
            fixture.sql("UPDATE feature_flags SET enabled = NOT enabled WHERE environment = '" + ENV + "'");
            long published = worker.rewarmAndPublish(ENV);
            await().atMost(Duration.ofSeconds(10)).until(() -> client.lastId() == published);
        }
    }

    /**
     * {@value #CHANGES} commits on one connection, one every {@value #PACE_MS} ms; returns each
     * version with the moment its autocommitted UPDATE returned (the commit acknowledged).
     */
    private Map<Long, Long> commitChanges() throws SQLException {
        Map<Long, Long> committed = new ConcurrentHashMap<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        try (Connection connection = fixture.database().connect();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE feature_flags SET enabled = NOT enabled WHERE environment = ?");
             PreparedStatement version = connection.prepareStatement(
                     "SELECT version FROM flag_environment_versions WHERE environment = ?")) {
            update.setString(1, ENV);
            version.setString(1, ENV);
            writer.scheduleAtFixedRate(() -> {
                if (committed.size() < CHANGES && failure.get() == null) {
                    try {
                        update.executeUpdate();
                        long returned = System.nanoTime();
                        try (ResultSet row = version.executeQuery()) {
                            row.next();
                            committed.put(row.getLong(1), returned);
                        }
                    } catch (SQLException | RuntimeException e) {
                        failure.set(e);
                    }
                }
            }, 0, PACE_MS, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> committed.size() == CHANGES || failure.get() != null);
        } finally {
            writer.shutdownNow();
        }
        assertThat(failure.get()).isNull();
        return committed;
    }

    private static void print(List<Long> latencies) {
        List<Long> sorted = latencies.stream().sorted().toList();
        System.out.printf(Locale.ROOT, "outage push latency, commit -> SSE frame with Redis down, %d changes:"
                        + " p50 %.1f ms, p90 %.1f ms, max %.1f ms (load average %s)%n", sorted.size(),
                sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1) / 1e6,
                sorted.getLast() / 1e6, LoadAverage.now());
    }
}
