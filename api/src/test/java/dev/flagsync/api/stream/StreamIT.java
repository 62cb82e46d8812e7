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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The SSE endpoint with real clients, real stores and a simulated sync worker. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamIT {

    private ApiFixture fixture;
    private WorkerSimulator worker;
    private final List<SseClient> clients = new ArrayList<>();

    @BeforeAll
    void start() {
        // A long memory TTL, so only the change notification can make the new version visible.
        fixture = new ApiFixture(Map.of("SSE_HEARTBEAT_SECONDS", "1", "SSE_MAX_CONNECTIONS", "3",
                "MEMORY_CACHE_TTL_MS", "600000"));
        worker = new WorkerSimulator(fixture);
        worker.awaitApiSubscribed();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(SseClient::close);
        clients.clear();
        await().atMost(Duration.ofSeconds(5)).until(() -> fixture.api.openStreams() == 0);
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    private URI stream(String environment) {
        return fixture.uri("/api/v1/environments/" + environment + "/flags/stream");
    }

    private SseClient open(String environment, String... headers) {
        SseClient client = SseClient.open(stream(environment), headers);
        clients.add(client);
        return client;
    }

    private long insert(String environment) {
        fixture.sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('" + environment + "', 'f')");
        return worker.rewarmAndPublish(environment);
    }

    @Test
    void sendsSnapshotOnConnectAndASqlUpdate() {
        long first = insert("stream-update");
        SseClient client = open("stream-update");
        assertThat(client.response.statusCode()).isEqualTo(200);
        assertThat(client.response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        assertThat(client.response.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(client.response.headers().firstValue("X-Accel-Buffering")).hasValue("no");
        await().atMost(Duration.ofSeconds(2)).until(() -> client.lastId() == first);
        SseClient.Event connected = client.events().getFirst();
        assertThat(connected.event()).isEqualTo("flags");
        assertThat(connected.data()).startsWith("{\"environment\":\"stream-update\",\"version\":" + first);

        fixture.sql("UPDATE feature_flags SET enabled = true WHERE environment = 'stream-update'");
        long second = worker.rewarmAndPublish("stream-update");

        await().atMost(Duration.ofSeconds(10)).until(() -> client.lastId() == second);
        assertThat(client.events().getLast().data()).contains("\"enabled\":true");
        assertThat(client.events()).hasSize(2);
        assertThat(fixture.get("/metrics").body()).containsPattern("flagsync_sse_events_total [1-9]");
    }

    @Test
    void lastEventIdOfTheCurrentVersionSkipsTheFirstEvent() {
        long current = insert("stream-resume");
        SseClient resumed = open("stream-resume", "Last-Event-ID", Long.toString(current));
        SseClient behind = open("stream-resume", "Last-Event-ID", Long.toString(current - 1));
        await().atMost(Duration.ofSeconds(3)).until(resumed::sawHeartbeat);
        assertThat(resumed.events()).isEmpty();
        assertThat(behind.lastId()).isEqualTo(current);

        fixture.sql("UPDATE feature_flags SET enabled = true WHERE environment = 'stream-resume'");
        long next = worker.rewarmAndPublish("stream-resume");
        await().atMost(Duration.ofSeconds(10)).until(() -> resumed.lastId() == next);
    }

    @Test
    void sendsHeartbeatComments() {
        insert("stream-heartbeat");
        SseClient client = open("stream-heartbeat");
        await().atMost(Duration.ofSeconds(3)).until(client::sawHeartbeat);
    }

    @Test
    void answers503WithRetryAfterPastTheCap() {
        insert("stream-cap");
        for (int i = 0; i < 3; i++) {
            open("stream-cap");
        }
        HttpResponse<String> refused = fixture.get("/api/v1/environments/stream-cap/flags/stream");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.body()).contains("\"error\":\"too_many_streams\"");
        assertThat(fixture.api.openStreams()).isEqualTo(3);
    }

    @Test
    void disconnectFreesTheConnectionAndTheGaugeReturnsToZero() {
        insert("stream-disconnect");
        SseClient client = open("stream-disconnect");
        await().atMost(Duration.ofSeconds(2)).until(() -> client.lastId() > 0);
        assertThat(fixture.get("/metrics").body()).contains("flagsync_sse_connections 1.0");

        client.close();

        // Noticed at the next failing write; with a 1 s heartbeat that is within a few seconds.
        await().atMost(Duration.ofSeconds(5)).until(() -> fixture.api.openStreams() == 0);
        assertThat(fixture.get("/metrics").body()).contains("flagsync_sse_connections 0.0");
    }

    @Test
    void rejectsMalformedEnvironment() {
        HttpResponse<String> response = fixture.get("/api/v1/environments/Not_Valid/flags/stream");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(fixture.api.openStreams()).isZero();
    }
}
