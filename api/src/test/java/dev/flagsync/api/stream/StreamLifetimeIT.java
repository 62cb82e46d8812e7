package dev.flagsync.api.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flagsync.api.ApiFixture;
import dev.flagsync.api.SseClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A stream ends after its (jittered) maximum lifetime, so the client reconnects, perhaps elsewhere. */
class StreamLifetimeIT {

    private ApiFixture fixture;

    @BeforeEach
    void start() {
        fixture = new ApiFixture(Map.of("SSE_MAX_LIFETIME_SECONDS", "2", "SSE_HEARTBEAT_SECONDS", "1"));
        fixture.sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('stream-lifetime', 'f')");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void closesTheStreamAfterItsLifetime() {
        try (SseClient client = SseClient.open(fixture.uri("/api/v1/environments/stream-lifetime/flags/stream"))) {
            await().atMost(Duration.ofSeconds(2)).until(() -> client.lastId() > 0);
            assertThat(client.ended()).isFalse();
            // 2 s ± 10 %, so well within 4 s.
            await().atMost(Duration.ofSeconds(4)).until(client::ended);
            await().atMost(Duration.ofSeconds(2)).until(() -> fixture.api.openStreams() == 0);
        }
    }
}
