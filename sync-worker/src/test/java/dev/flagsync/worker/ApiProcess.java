package dev.flagsync.worker;

import dev.flagsync.localstack.ChildJvm;
import dev.flagsync.localstack.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real API jar as a child process. It cannot share the worker's JVM: Debezium brings
 * Jetty 12.0 and Javalin needs 12.1. The port is picked here and passed in, so the test
 * knows where to connect without parsing the API's log.
 */
final class ApiProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    final URI base;
    private final ChildJvm jvm;

    private ApiProcess(URI base, ChildJvm jvm) {
        this.base = base;
        this.jvm = jvm;
    }

    /** Starts {@code java -jar <jar>} with the given variables (plus the HTTP ones) and waits until it is ready. */
    static ApiProcess start(Path jar, Map<String, String> env, Path log) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath().normalize() + " is missing: build the api module first"
                    + " (./mvnw -B package -pl api -am -DskipTests, or run the whole reactor)");
        }
        int port = Ports.free();
        Map<String, String> all = new HashMap<>(env);
        all.put("HTTP_HOST", "127.0.0.1");
        all.put("HTTP_PORT", Integer.toString(port));
        ChildJvm jvm = ChildJvm.start(List.of("-Xmx512m", "-jar", jar.toString()), all, log);
        jvm.awaitHttpOk(port, "/health/ready", Duration.ofSeconds(60));
        return new ApiProcess(URI.create("http://127.0.0.1:" + port), jvm);
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

    /** A POST of a JSON body, with extra headers as name, value pairs. */
    HttpResponse<String> post(String path, String json, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    Path log() {
        return jvm.log();
    }

    @Override
    public void close() {
        jvm.close();
    }
}
