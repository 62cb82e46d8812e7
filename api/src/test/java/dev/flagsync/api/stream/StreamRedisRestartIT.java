package dev.flagsync.api.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flagsync.api.ApiFixture;
import dev.flagsync.api.SseClient;
import dev.flagsync.api.WorkerSimulator;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis restarts under {@value #CLIENTS} open streams, with changes committed while it is down and
 * after it is back: every client ends on the latest version, and none is ever sent an older one,
 * although the restarted Redis holds the snapshot from before the outage.
 */
class StreamRedisRestartIT {

    private static final String ENV = "restart-streams";
    private static final int CLIENTS = 20;

    private ApiFixture fixture;
    private WorkerSimulator worker;
    private final List<SseClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        fixture = ApiFixture.withOwnRedis(Map.of("MEMORY_CACHE_TTL_MS", "600000", "SSE_MAX_CONNECTIONS", "100"));
        worker = new WorkerSimulator(fixture);
        fixture.sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('" + ENV + "', 'a'), ('" + ENV + "', 'b')");
    }

    @AfterEach
    void stop() {
        clients.forEach(SseClient::close);
        fixture.close();
    }

    private void change() {
        fixture.sql("UPDATE feature_flags SET enabled = NOT enabled WHERE environment = '" + ENV + "' AND flag_key = 'a'");
    }

    private void awaitEveryClientAt(long version) {
        await().atMost(Duration.ofSeconds(5)).until(() -> clients.stream().allMatch(client -> client.lastId() == version));
    }

    @Test
    void everyClientEndsOnTheLatestVersion() {
        worker.awaitApiSubscribed();
        long before = worker.rewarmAndPublish(ENV);
        URI stream = fixture.uri("/api/v1/environments/" + ENV + "/flags/stream");
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(SseClient.open(stream));
        }
        awaitEveryClientAt(before);

        fixture.redis.stop(); // saves its dump, with the snapshot at `before`, and restarts from it below
        for (int i = 0; i < 3; i++) {
            change();
        }
        long whileDown = fixture.database().version(ENV);
        awaitEveryClientAt(whileDown);
        change();
        long atRestart = fixture.database().version(ENV);
        fixture.redis.start();
        worker.awaitApiSubscribed();

        // The restarted Redis is behind what the API has served: a read goes to PostgreSQL, not back in time.
        HttpResponse<String> read = fixture.get("/api/v1/environments/" + ENV + "/flags");
        assertThat(read.headers().firstValue("ETag")).hasValue("\"" + atRestart + "\"");
        awaitEveryClientAt(atRestart);

        // The worker catches up after the restart and publishes as usual.
        change();
        long latest = worker.rewarmAndPublish(ENV);
        assertThat(latest).isEqualTo(fixture.database().version(ENV)).isGreaterThan(atRestart);
        awaitEveryClientAt(latest);
        for (SseClient client : clients) {
            List<Long> ids = client.events().stream().map(SseClient.Event::id).toList();
            assertThat(ids).as("versions one client received").isSorted().doesNotHaveDuplicates().contains(before, whileDown);
        }
    }
}
