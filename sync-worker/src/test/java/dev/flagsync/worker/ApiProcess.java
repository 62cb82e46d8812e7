package dev.flagsync.worker;

import static org.awaitility.Awaitility.await;

import dev.flagsync.localstack.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real API jar as a child process. It cannot share the worker's JVM: Debezium brings
 * Jetty 12.0 and Javalin needs 12.1. The port is picked here and passed in, so the test
 * knows where to connect without parsing the API's log.
 */
final class ApiProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    final URI base;
    private final Process process;
    private final Path log;

    private ApiProcess(URI base, Process process, Path log) {
        this.base = base;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java -jar <jar>} with only the given variables (plus the HTTP ones) and
     * waits until {@code /health/ready} answers 200.
     */
    static ApiProcess start(Path jar, Map<String, String> env, Path log) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath().normalize() + " is missing: build the api module first"
                    + " (./mvnw -B package -pl api -am -DskipTests, or run the whole reactor)");
        }
        int port = Ports.free();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString());
        builder.environment().clear();
        builder.environment().putAll(env);
        builder.environment().put("HTTP_HOST", "127.0.0.1");
        builder.environment().put("HTTP_PORT", Integer.toString(port));
        Files.createDirectories(log.toAbsolutePath().getParent());
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        ApiProcess api = new ApiProcess(URI.create("http://127.0.0.1:" + port), builder.start(), log);
        try {
            await("API ready on port " + port).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .failFast("API process exited; see " + log.toAbsolutePath(), () -> !api.process.isAlive())
                    .ignoreExceptions()
                    .until(() -> api.get("/health/ready").statusCode() == 200);
        } catch (RuntimeException | Error e) {
            api.close();
            throw e;
        }
        return api;
    }

    /** Only the variables the API reads, taken from the worker's environment. */
    static Map<String, String> envFrom(Map<String, String> workerEnv) {
        return Map.of(
                "DATABASE_URL", workerEnv.get("DATABASE_URL"),
                "DATABASE_USER", workerEnv.get("DATABASE_USER"),
                "DATABASE_PASSWORD", workerEnv.get("DATABASE_PASSWORD"),
                "REDIS_URL", workerEnv.get("REDIS_URL"));
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
