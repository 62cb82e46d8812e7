package dev.flagsync.api;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The SSE clients a test opens on a fixture's API, all closed at once, waiting until the API let go of them. */
public final class OpenStreams {

    private final ApiFixture fixture;
    private final List<SseClient> clients = new CopyOnWriteArrayList<>();

    public OpenStreams(ApiFixture fixture) {
        this.fixture = fixture;
    }

    public SseClient open(URI uri, String... headers) {
        SseClient client = SseClient.open(uri, headers);
        clients.add(client);
        return client;
    }

    /**
     * For an {@code @AfterEach}: the next test starts with no stream open. The API notices a
     * closed client at its next heartbeat, so the fixture wants a short SSE_HEARTBEAT_SECONDS.
     */
    public void closeAll() {
        clients.forEach(SseClient::close);
        clients.clear();
        await().atMost(Duration.ofSeconds(5)).until(() -> fixture.api.openStreams() == 0);
    }
}
