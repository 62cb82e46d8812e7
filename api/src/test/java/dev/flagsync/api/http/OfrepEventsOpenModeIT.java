package dev.flagsync.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flagsync.api.ApiFixture;
import dev.flagsync.api.OpenStreams;
import dev.flagsync.api.SseClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** READ_ACCESS=open (the default): anonymous OFREP callers get an event stream without a credential. */
class OfrepEventsOpenModeIT {

    private static ApiFixture fixture;
    private static OpenStreams streams;

    @BeforeAll
    static void start() {
        // A closed client is noticed at the next heartbeat write.
        fixture = new ApiFixture(Map.of("DEFAULT_ENVIRONMENT", "events-open", "SSE_HEARTBEAT_SECONDS", "1"));
        streams = new OpenStreams(fixture);
        fixture.sql("INSERT INTO feature_flags (environment, flag_key, enabled) VALUES ('events-open', 'banner', true)");
    }

    @AfterAll
    static void stop() {
        streams.closeAll();
        fixture.close();
    }

    @Test
    void anAnonymousBulkAnswerPointsAtAStreamWithoutACredential() {
        String body = fixture.send(HttpRequest.newBuilder(fixture.uri("/ofrep/v1/evaluate/flags"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"context\":{\"targetingKey\":\"u\"}}"))).body();
        assertThat(body).contains("\"requestUri\":\"/ofrep/v1/events?environment=events-open\"");

        SseClient client = streams.open(fixture.uri("/ofrep/v1/events?environment=events-open"));
        assertThat(client.response.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(2)).until(() -> client.lastId() >= 0);
        // As on the other read endpoints in open mode, a credential that does not authenticate is ignored.
        assertThat(streams.open(fixture.uri("/ofrep/v1/events?environment=events-open&credential=x.y")).response.statusCode())
                .isEqualTo(200);
    }
}
