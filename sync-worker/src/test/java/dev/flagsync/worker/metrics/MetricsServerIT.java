package dev.flagsync.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flagsync.shared.lifecycle.Loop;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The health endpoints' answers, on the loopback address METRICS_HOST names. */
class MetricsServerIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(MetricsServer server, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void liveAndReadyNameThePartAndTheReason() throws Exception {
        Loop waiting = Loop.named("capture").start(l -> {
            l.progress();
            return Duration.ofHours(1);
        });
        HealthCheck standby = HealthCheck.of("capture", waiting, Optional::empty, () -> Optional.of("standing by"));
        Loop dying = Loop.named("sync").start(l -> {
            throw new OutOfMemoryError("pretend");
        });
        try (waiting; dying; MetricsServer server = new MetricsServer("127.0.0.1", 0, new WorkerMetrics(),
                List.of(standby, HealthCheck.of("sync", dying, Optional::empty, Optional::empty)))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> dying.state().status() == Loop.Status.DIED
                    && waiting.state().status() == Loop.Status.RUNNING);

            HttpResponse<String> live = get(server, "/health/live");
            assertThat(live.statusCode()).isEqualTo(503);
            assertThat(live.body()).isEqualTo("{\"status\":\"down\",\"down\":{\"sync\":\"died: java.lang.OutOfMemoryError: pretend\"}}");
            HttpResponse<String> ready = get(server, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"sync\":\"died").contains("\"state\":{\"capture\":\"standing by\"}");
        }
    }

    @Test
    void answers200WhenEveryPartIsWell() throws Exception {
        Loop idle = Loop.named("reconcile").start(l -> {
            l.progress();
            return Duration.ofHours(1);
        });
        try (idle; MetricsServer server = new MetricsServer("127.0.0.1", 0, new WorkerMetrics(), List.of(HealthCheck.of("reconcile", idle, Optional::empty, Optional::empty)))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> idle.state().status() == Loop.Status.RUNNING);
            assertThat(get(server, "/health/live").body()).isEqualTo("{\"status\":\"up\"}");
            assertThat(get(server, "/health/ready").statusCode()).isEqualTo(200);
        }
    }
}
