package dev.flagsync.systemtests.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flagsync.systemtests.RunLocal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole stack as a user starts it, for the real-SDK tests: ONE {@code bin/run-local} (embedded
 * PostgreSQL, Redis and Kafka, the real sync-worker and API jars) on free ports for the whole
 * Failsafe JVM, started by the first test class that registers this extension and stopped when
 * JUnit closes its root store at the end of the run. A change a test writes in SQL travels the
 * production path: Debezium capture, Kafka, the worker's Redis rewarm and notification, the API.
 *
 * <p>The API allows CORS from exactly {@link #pagesOrigin()}, so pages served by {@link #pages()}
 * are another origin that is allowed. Each test class owns its data: environments named after the
 * class, tokens it creates; never the demo environments.
 */
public final class SdkStack implements BeforeAllCallback {

    public static final String ADMIN_TOKEN = "flagsync-dev-admin-token"; // what bin/run-local sets
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final SdkStack SHARED = new SdkStack();

    private volatile Running running;

    private SdkStack() {
    }

    /** Register with {@code @RegisterExtension static SdkStack stack = SdkStack.shared();}. */
    public static SdkStack shared() {
        return SHARED;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(SdkStack.class, key -> start(), Running.class);
    }

    private Running start() {
        Pages pages = Pages.start();
        RunLocal stack = RunLocal.start(List.of(), Map.of("CORS_ALLOWED_ORIGINS", pages.origin()), "sdk-stack");
        try {
            stack.awaitLine(line -> line.contains("flagsync is running"), Duration.ofMinutes(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while bin/run-local started", e);
        } catch (AssertionError e) {
            closeQuietly(stack);
            pages.close();
            throw e;
        }
        running = new Running(stack, pages);
        return running;
    }

    private Running running() {
        Running current = running;
        if (current == null) {
            throw new IllegalStateException("SdkStack is not started: register it with @RegisterExtension static SdkStack stack = SdkStack.shared()");
        }
        return current;
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + running().stack.port("FLAGSYNC_HTTP_PORT");
    }

    public String adminToken() {
        return ADMIN_TOKEN;
    }

    public Pages pages() {
        return running().pages;
    }

    public String pagesOrigin() {
        return running().pages.origin();
    }

    /** The stack's PostgreSQL as psql reaches it: {@code jdbc:postgresql://127.0.0.1:<port>/flagsync}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + running().stack.port("FLAGSYNC_PG_PORT") + "/flagsync";
    }

    /** One statement in autocommit, as a psql line runs it; returns when it has committed. */
    public void sql(String statement) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), "flagsync", "flagsync");
             Statement sql = connection.createStatement()) {
            sql.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + statement, e);
        }
    }

    /** A request to the API; {@code token} and {@code jsonBody} may be null. */
    public HttpResponse<String> http(String method, String path, String token, String jsonBody) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl() + path)).timeout(Duration.ofSeconds(10))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * A new token of {@code type} ("server", "frontend" or "admin") for one environment, made
     * through the admin API; returns its secret, which the API accepts from its first request
     * (an unknown token is checked against PostgreSQL before it is refused), as an SDK started
     * right after provisioning needs.
     */
    public String createToken(String type, String environment) {
        ObjectNode body = JSON.createObjectNode().put("name", "sdk-test-" + UUID.randomUUID()).put("type", type);
        body.putArray("environments").add(environment);
        HttpResponse<String> created = http("POST", "/api/v1/tokens", ADMIN_TOKEN, body.toString());
        assertThat(created.statusCode()).as("POST /api/v1/tokens: %s", created.body()).isEqualTo(201);
        return read(created.body()).path("secret").asText();
    }

    public static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }

    private static void closeQuietly(RunLocal stack) {
        try {
            stack.close();
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** What the root store closes at the end of the run: bin/run-local (Ctrl-C), then the pages server. */
    private record Running(RunLocal stack, Pages pages) implements AutoCloseable {

        @Override
        public void close() throws IOException, InterruptedException {
            try {
                stack.close();
            } finally {
                pages.close();
                SHARED.running = null;
            }
        }
    }
}
