package dev.flagsync.api.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.flagsync.api.ApiFixture;
import dev.flagsync.api.WorkerSimulator;
import dev.flagsync.localstack.HeadlessChromium;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real browser: a page served from another origin opens an EventSource on the API, calls
 * OFREP with a preflighted POST, and reports what it saw back to this test's own server.
 */
class BrowserStreamIT {

    private static final String ENV = "browser-stream";

    private final List<String> reports = new CopyOnWriteArrayList<>();
    private HttpServer pages;
    private ApiFixture fixture;

    @BeforeEach
    void start() throws IOException {
        pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pages.createContext("/report", exchange -> {
            reports.add(exchange.getRequestURI().getRawQuery());
            respond(exchange, "text/plain", "ok");
        });
        pages.start();
        String pageOrigin = "http://127.0.0.1:" + pages.getAddress().getPort();
        fixture = new ApiFixture(Map.of("CORS_ALLOWED_ORIGINS", pageOrigin, "MEMORY_CACHE_TTL_MS", "600000"));
        pages.createContext("/", exchange -> respond(exchange, "text/html", page("http://127.0.0.1:" + fixture.api.port())));
        fixture.sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('" + ENV + "', 'checkout')");
    }

    @AfterEach
    void stop() {
        pages.stop(0);
        fixture.close();
    }

    @Test
    void eventSourceInAPageOnAnotherOriginSeesAChange() {
        WorkerSimulator worker = new WorkerSimulator(fixture);
        worker.awaitApiSubscribed();
        long first = worker.rewarmAndPublish(ENV);
        try (HeadlessChromium browser = HeadlessChromium.open("http://127.0.0.1:" + pages.getAddress().getPort() + "/")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> reports.contains("version=" + first + "&enabled=false"));
            await().atMost(Duration.ofSeconds(10)).until(() -> reports.stream().anyMatch(r -> r.startsWith("ofrep=200")));
            assertThat(reports).anyMatch(r -> r.startsWith("ofrep=200&etag=%22"));

            fixture.sql("UPDATE feature_flags SET enabled = true WHERE environment = '" + ENV + "'");
            long second = worker.rewarmAndPublish(ENV);

            await().atMost(Duration.ofSeconds(2)).until(() -> reports.contains("version=" + second + "&enabled=true"));
            assertThat(reports).noneMatch(r -> r.startsWith("error"));
        }
    }

    private static String page(String api) {
        return """
                <!doctype html><html><body><script>
                const api = '%s';
                const report = q => fetch('/report?' + q);
                const source = new EventSource(api + '/api/v1/environments/%s/flags/stream');
                source.addEventListener('flags', e => {
                  const snapshot = JSON.parse(e.data);
                  report('version=' + snapshot.version + '&enabled=' + snapshot.flags[0].enabled);
                });
                fetch(api + '/ofrep/v1/evaluate/flags', {method: 'POST',
                    headers: {'Content-Type': 'application/json', 'X-Flag-Environment': '%s'},
                    body: JSON.stringify({context: {targetingKey: 'user-1'}})})
                  .then(r => report('ofrep=' + r.status + '&etag=' + encodeURIComponent(r.headers.get('ETag'))))
                  .catch(e => report('error=' + encodeURIComponent(String(e))));
                </script></body></html>
                """.formatted(api, ENV, ENV);
    }

    private static void respond(HttpExchange exchange, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
