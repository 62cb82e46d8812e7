package dev.flagsync.worker.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.flagsync.shared.flag.FlagJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * {@code /metrics}, {@code /health/live} and {@code /health/ready} on the JDK's own HTTP server:
 * the capture's Kafka Connect runtime already brings a Jetty, so no second web stack here. Both
 * health answers are 200 {@code {"status":"up"}} or 503 {@code {"status":"down","down":{part: reason}}}.
 */
public final class MetricsServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(Thread.ofPlatform()
            .name("metrics-http").daemon(true).factory());

    public MetricsServer(String host, int port, WorkerMetrics metrics, List<HealthCheck> parts) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.setExecutor(executor);
        server.createContext("/metrics", exchange -> send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
                metrics.registry().scrape()));
        server.createContext("/health/live", exchange -> health(exchange, parts, HealthCheck::liveProblem, false));
        server.createContext("/health/ready", exchange -> health(exchange, parts, HealthCheck::readyProblem, true));
        server.start();
    }

    /** The bound port; differs from the configured one when that was 0. */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void health(HttpExchange exchange, List<HealthCheck> parts,
                               Function<HealthCheck, Optional<String>> check, boolean withState) throws IOException {
        Map<String, String> problems = new LinkedHashMap<>();
        Map<String, String> states = new LinkedHashMap<>();
        for (HealthCheck part : parts) {
            check.apply(part).ifPresent(problem -> problems.put(part.name(), problem));
            if (withState) {
                part.state().ifPresent(state -> states.put(part.name(), state));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", problems.isEmpty() ? "up" : "down");
        if (!problems.isEmpty()) {
            body.put("down", problems);
        }
        if (!states.isEmpty()) {
            body.put("state", states);
        }
        send(exchange, problems.isEmpty() ? 200 : 503, "application/json",
                new String(FlagJson.write(body), StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
