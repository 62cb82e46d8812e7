package dev.flagsync.systemtests.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.flagsync.systemtests.RunLocal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The other origin for the browser SDK tests: serves the pages a test registers, the bundled
 * SDKs under {@code /dist/} (built by {@code npm run build} in infra/system-tests/node), and
 * collects what pages report to {@code /report} (a GET's query string, or a POST's body).
 */
public final class Pages implements AutoCloseable {

    static final Path DIST = RunLocal.ROOT.resolve("infra/system-tests/node/dist");

    private final HttpServer server;
    private final Map<String, String> html = new ConcurrentHashMap<>();
    private final List<String> reports = new CopyOnWriteArrayList<>();

    private Pages(HttpServer server) {
        this.server = server;
    }

    static Pages start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            Pages pages = new Pages(server);
            server.createContext("/", pages::serve);
            server.start();
            return pages;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the pages server", e);
        }
    }

    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Serves {@code page} at {@code path} (e.g. "/unleash-proxy.html"); returns its full URL. */
    public String html(String path, String page) {
        html.put(path, page);
        return origin() + path;
    }

    /** What pages have reported so far, oldest first. */
    public List<String> reports() {
        return List.copyOf(reports);
    }

    public void clearReports() {
        reports.clear();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/report")) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                reports.add(body.isEmpty() ? String.valueOf(exchange.getRequestURI().getRawQuery()) : body);
                respond(exchange, 200, "text/plain", "ok".getBytes(StandardCharsets.UTF_8));
            } else if (path.startsWith("/dist/") && !path.contains("..")) {
                Path file = DIST.resolve(path.substring("/dist/".length()));
                if (Files.isRegularFile(file)) {
                    respond(exchange, 200, "text/javascript", Files.readAllBytes(file));
                } else {
                    respond(exchange, 404, "text/plain", ("no " + file + ": did npm run build run in infra/system-tests/node? (bin/test runs it)")
                            .getBytes(StandardCharsets.UTF_8));
                }
            } else if (html.containsKey(path)) {
                respond(exchange, 200, "text/html; charset=utf-8", html.get(path).getBytes(StandardCharsets.UTF_8));
            } else {
                respond(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
