package dev.flagsync.api.changes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flagsync.api.ApiFixture;
import dev.flagsync.api.WorkerSimulator;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A notification on feature_flags:changes drops the memory copy at once, even with a long memory TTL. */
class ChangeNotificationIT {

    private ApiFixture fixture;
    private WorkerSimulator worker;

    @BeforeEach
    void start() {
        // Its own Redis, which one test restarts.
        fixture = ApiFixture.withOwnRedis(Map.of("MEMORY_CACHE_TTL_MS", "600000"));
        worker = new WorkerSimulator(fixture);
        fixture.sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('notify', 'f')");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private HttpResponse<String> read() {
        return fixture.get("/api/v1/environments/notify/flags");
    }

    @Test
    void notificationDropsTheMemoryCopy() {
        worker.awaitApiSubscribed();
        read();
        assertThat(read().headers().firstValue("X-Flag-Source")).hasValue("memory");

        fixture.sql("UPDATE feature_flags SET enabled = true WHERE environment = 'notify'");
        worker.rewarmAndPublish("notify");

        await().atMost(Duration.ofSeconds(2)).until(() -> read().body().contains("\"enabled\":true"));
    }

    @Test
    void resubscribesAfterRedisRestartsAndDistrustsMemoryMeanwhile() {
        worker.awaitApiSubscribed();
        read();
        assertThat(read().headers().firstValue("X-Flag-Source")).hasValue("memory");

        fixture.redis.stop();
        // With no notifications possible, a memory copy is only trusted for a moment.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> read().headers().firstValue("X-Flag-Source").orElseThrow().equals("database"));

        fixture.redis.start();
        worker.awaitApiSubscribed();
        fixture.sql("UPDATE feature_flags SET enabled = true WHERE environment = 'notify'");
        worker.rewarmAndPublish("notify");
        await().atMost(Duration.ofSeconds(2)).until(() -> read().body().contains("\"enabled\":true"));
    }
}
