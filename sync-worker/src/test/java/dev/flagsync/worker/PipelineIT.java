package dev.flagsync.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.Snapshot;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole worker in-process: SQL writes by any client reach the Redis snapshots. */
class PipelineIT {

    private static Stack stack;
    private static Worker worker;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack("pipeline_it");
        stack.migrate();
        // Written before the worker exists: the start-up warm must put it in Redis.
        stack.sql("INSERT INTO feature_flags (environment, flag_key, enabled) VALUES ('pipe-cold', 'early', true)");
        worker = Worker.start(stack.config(Map.of("RECONCILE_INTERVAL_SECONDS", "1")));
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private static Optional<Flag> cachedFlag(String environment, String key) {
        return stack.cached(environment).flatMap(snapshot -> snapshot.flag(key));
    }

    @Test
    void coldRedisIsWarmedAtStart() {
        await().atMost(Duration.ofSeconds(30)).until(() -> cachedFlag("pipe-cold", "early").isPresent());
    }

    @Test
    void insertUpdateAndDeleteReachTheRedisSnapshot() {
        stack.sql("INSERT INTO feature_flags (environment, flag_key, enabled, rollout_percentage) VALUES ('pipe-crud', 'checkout', true, 25)");
        await().atMost(Duration.ofSeconds(30)).until(() -> cachedFlag("pipe-crud", "checkout")
                .map(flag -> flag.rolloutPercentage() == 25).orElse(false));

        stack.sql("UPDATE feature_flags SET rollout_percentage = 75 WHERE environment = 'pipe-crud' AND flag_key = 'checkout'");
        await().atMost(Duration.ofSeconds(10)).until(() -> cachedFlag("pipe-crud", "checkout")
                .map(flag -> flag.rolloutPercentage() == 75).orElse(false));

        stack.sql("DELETE FROM feature_flags WHERE environment = 'pipe-crud' AND flag_key = 'checkout'");
        await().atMost(Duration.ofSeconds(10)).until(() -> stack.cached("pipe-crud").map(s -> s.flags().isEmpty()).orElse(false));
        assertThat(stack.cached("pipe-crud")).contains(stack.stored("pipe-crud"));
    }

    @Test
    void rowMovedToAnotherEnvironmentUpdatesBoth() {
        stack.sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('pipe-from', 'mover')");
        await().atMost(Duration.ofSeconds(30)).until(() -> cachedFlag("pipe-from", "mover").isPresent());

        stack.sql("UPDATE feature_flags SET environment = 'pipe-to' WHERE environment = 'pipe-from' AND flag_key = 'mover'");

        await().atMost(Duration.ofSeconds(10)).until(() -> cachedFlag("pipe-to", "mover").isPresent()
                && cachedFlag("pipe-from", "mover").isEmpty());
    }

    @Test
    void truncateEmptiesEveryEnvironmentWithAHigherVersion() throws Exception {
        try (Stack own = stack.sibling("pipeline_truncate_it")) {
            own.migrate();
            own.sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('pipe-trunc-a', 'one'), ('pipe-trunc-a', 'two'),"
                    + " ('pipe-trunc-b', 'three')");
            // No reconciliation: the empty snapshots must come from the captured truncate.
            try (Worker truncating = Worker.start(own.config(Map.of("RECONCILE_INTERVAL_SECONDS", "3600")))) {
                // The three snapshot rows went through the capture: the slot exists, so the
                // truncate is captured rather than predating the slot.
                await().atMost(Duration.ofSeconds(30)).until(() -> truncating.metrics().eventsConsumed() >= 3
                        && flagCount(own, "pipe-trunc-a") == 2 && flagCount(own, "pipe-trunc-b") == 1);
                long versionA = own.cached("pipe-trunc-a").orElseThrow().version();
                long versionB = own.cached("pipe-trunc-b").orElseThrow().version();

                own.sql("TRUNCATE feature_flags");

                await().atMost(Duration.ofSeconds(30)).until(() -> isEmptyAbove(own, "pipe-trunc-a", versionA)
                        && isEmptyAbove(own, "pipe-trunc-b", versionB));
                assertThat(own.cached("pipe-trunc-a")).contains(own.stored("pipe-trunc-a"));
            }
        }
    }

    private static int flagCount(Stack target, String environment) {
        return target.cached(environment).map(snapshot -> snapshot.flags().size()).orElse(-1);
    }

    private static boolean isEmptyAbove(Stack target, String environment, long version) {
        return target.cached(environment).map(s -> s.flags().isEmpty() && s.version() > version).orElse(false);
    }

    @Test
    void reconciliationRepairsASnapshotDeletedByHand() {
        stack.sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('pipe-lost', 'kept')");
        await().atMost(Duration.ofSeconds(30)).until(() -> cachedFlag("pipe-lost", "kept").isPresent());
        Snapshot before = stack.cached("pipe-lost").orElseThrow();

        stack.dropSnapshot("pipe-lost");

        await().atMost(Duration.ofSeconds(10)).until(() -> stack.cached("pipe-lost").equals(Optional.of(before)));
    }

    @Test
    void servesMetricsAndReadiness() throws Exception {
        WorkerHealth health = WorkerHealth.of(worker);
        await().atMost(Duration.ofSeconds(30)).until(health::ready);
        assertThat(health.live()).isTrue();
        String metrics = health.get("/metrics").body();
        assertThat(metrics).contains("flagsync_sync_rewarms_total", "flagsync_sync_propagation_delay_seconds_bucket",
                "flagsync_capture_slot_lag_bytes", "flagsync_sync_consumer_lag", "flagsync_sync_dead_letters_total",
                "flagsync_sync_assignments_total");
    }
}
