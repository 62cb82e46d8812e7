package dev.flagsync.api.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flagsync.shared.lifecycle.BackoffPolicy;
import dev.flagsync.shared.lifecycle.Loop;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthTest {

    private final AtomicBoolean redis = new AtomicBoolean(true);
    private final AtomicBoolean database = new AtomicBoolean(true);
    private final AtomicReference<Optional<String>> load = new AtomicReference<>(Optional.empty());
    private final AtomicInteger known = new AtomicInteger(3);
    private final Loop healthy = Loop.named("healthy").start(loop -> {
        loop.progress();
        return Duration.ofMillis(5);
    });
    private Loop other;

    @AfterEach
    void stop() {
        healthy.close();
        if (other != null) {
            other.close();
        }
    }

    private Health health(Loop... extra) {
        Map<String, java.util.function.BooleanSupplier> stores = new LinkedHashMap<>();
        stores.put("redis", redis::get);
        stores.put("database", database::get);
        List<Loop> loops = new java.util.ArrayList<>(List.of(healthy));
        loops.addAll(List.of(extra));
        await().atMost(Duration.ofSeconds(5)).until(() -> healthy.state().status() == Loop.Status.RUNNING);
        return new Health(stores, loops, load::get, known::get);
    }

    @Test
    void upWhenEverythingAnswers() {
        Health.Report ready = health().ready();
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body()).containsEntry("status", "up").containsEntry("reasons", Map.of());
        assertThat(health().live().status()).isEqualTo(200);
    }

    @Test
    void startingUntilTheFirstLoadUnlessThereIsSomethingToServe() {
        load.set(Optional.of("failing since 12:00 (3 in a row): no route"));
        known.set(0);
        Health.Report starting = health().ready();
        assertThat(starting.status()).isEqualTo(503);
        assertThat(starting.body()).containsEntry("status", "starting");
        assertThat(starting.body().get("reasons").toString()).contains("initial-load=failing since 12:00");

        known.set(2); // restored from the disk backup
        Health.Report degraded = health().ready();
        assertThat(degraded.status()).isEqualTo(200);
        assertThat(degraded.body()).containsEntry("status", "degraded");
    }

    @Test
    void degradedWithOneStoreDownOrBothDownWithLastKnownGoodCopies() {
        redis.set(false);
        Health.Report one = health().ready();
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.body()).containsEntry("status", "degraded")
                .containsEntry("checks", Map.of("redis", "down", "database", "up"));

        database.set(false);
        Health.Report both = health().ready();
        assertThat(both.status()).isEqualTo(200);
        assertThat(both.body().get("reasons").toString()).contains("last known good copies of 3 environment(s)");

        known.set(0);
        Health.Report nothing = health().ready();
        assertThat(nothing.status()).isEqualTo(503);
        assertThat(nothing.body()).containsEntry("status", "down");
        assertThat(health().live().status()).isEqualTo(200); // a store outage is no reason to restart
    }

    @Test
    void aFailingLoopIsDegradedWithItsReason() {
        other = Loop.named("version-poll").backoff(BackoffPolicy.exponential(Duration.ofMillis(20), Duration.ofMillis(20)))
                .start(loop -> {
                    throw new IllegalStateException("connection refused");
                });
        Health health = health(other);
        await().atMost(Duration.ofSeconds(5)).until(() -> other.state().status() == Loop.Status.BACKING_OFF);

        Health.Report ready = health.ready();
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body()).containsEntry("status", "degraded");
        assertThat(ready.body().get("loops").toString()).contains("version-poll=failing since").contains("connection refused")
                .contains("healthy=ok");
        assertThat(health.live().status()).isEqualTo(200);
    }

    @Test
    void aDeadLoopFailsLivenessAndReadinessNamingIt() {
        other = Loop.named("change-subscriber").start(loop -> {
            throw new OutOfMemoryError("pretend");
        });
        Health health = health(other);
        await().atMost(Duration.ofSeconds(5)).until(() -> other.state().status() == Loop.Status.DIED);

        Health.Report live = health.live();
        assertThat(live.status()).isEqualTo(503);
        assertThat(live.body()).containsEntry("status", "down");
        assertThat(live.body().get("loops").toString()).contains("change-subscriber=died: java.lang.OutOfMemoryError: pretend")
                .contains("healthy=ok");
        assertThat(health.ready().status()).isEqualTo(503);
    }
}
