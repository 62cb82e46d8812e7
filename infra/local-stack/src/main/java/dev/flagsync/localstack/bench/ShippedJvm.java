package dev.flagsync.localstack.bench;

import dev.flagsync.localstack.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A flagsync jar run as it ships, for the benchmarks: {@code java @<module>/jvm.options -jar
 * <jar>}, the options file being the one the Dockerfile and bin/run-local use, so a figure is
 * taken with the heap and GC settings users get. Started means ready: its {@code /health/ready}
 * answered 200 on {@code port}, and {@link #startedIn()} says how long that took from the launch.
 */
public final class ShippedJvm implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final ChildJvm jvm;
    private final int port;
    private final Duration startedIn;

    private ShippedJvm(ChildJvm jvm, int port, Duration startedIn) {
        this.jvm = jvm;
        this.port = port;
        this.startedIn = startedIn;
    }

    /** The API: api/target/flagsync-api.jar with api/jvm.options, HTTP on {@code port}. */
    public static ShippedJvm api(Path root, Map<String, String> env, int port, Path log) {
        return start(root.resolve("api/target/flagsync-api.jar"), root.resolve("api/jvm.options"), env, port, log);
    }

    /** The worker: sync-worker/target/flagsync-sync-worker.jar with its options, metrics on {@code port}. */
    public static ShippedJvm worker(Path root, Map<String, String> env, int port, Path log) {
        return start(root.resolve("sync-worker/target/flagsync-sync-worker.jar"), root.resolve("sync-worker/jvm.options"),
                env, port, log);
    }

    private static ShippedJvm start(Path jar, Path options, Map<String, String> env, int port, Path log) {
        for (Path file : List.of(jar, options)) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException(file.toAbsolutePath().normalize() + " is missing: build first"
                        + " (./mvnw -B package -pl api,sync-worker -am -DskipTests)");
            }
        }
        long launched = System.nanoTime();
        ChildJvm jvm = ChildJvm.start(List.of("@" + options, "-jar", jar.toString()), env, log);
        jvm.awaitHttpOk(port, "/health/ready", Duration.ofMinutes(2));
        return new ShippedJvm(jvm, port, Duration.ofNanos(System.nanoTime() - launched));
    }

    public long pid() {
        return jvm.pid();
    }

    public int port() {
        return port;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** From the launch until /health/ready first answered 200 (polled every 50 ms). */
    public Duration startedIn() {
        return startedIn;
    }

    /** The body of a GET, whatever its status. */
    public String get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Its Prometheus text. */
    public String metrics() {
        return get("/metrics");
    }

    /** Heap in use after two full GCs (jcmd GC.run), summed over the heap pools its /metrics reports. */
    public long heapUsedAfterGc() throws IOException, InterruptedException {
        for (int i = 0; i < 2; i++) {
            jcmd("GC.run", ProcessBuilder.Redirect.DISCARD);
        }
        return (long) metrics().lines()
                .filter(line -> line.startsWith("jvm_memory_used_bytes{area=\"heap\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** Its class histogram of live objects (jcmd GC.class_histogram, which collects first) written to {@code file}. */
    public void classHistogram(Path file) throws IOException, InterruptedException {
        jcmd("GC.class_histogram", ProcessBuilder.Redirect.to(file.toFile()));
    }

    /** Runs {@code jcmd <pid> <command>} of this JDK, its output to {@code output}, and waits for it (at most a minute). */
    private void jcmd(String command, ProcessBuilder.Redirect output) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid()), command).redirectErrorStream(true).redirectOutput(output).start();
        if (!jcmd.waitFor(1, TimeUnit.MINUTES)) {
            jcmd.destroyForcibly();
            throw new IOException("jcmd " + command + " did not finish within a minute");
        }
    }

    /** Resident set size now. */
    public long rssBytes() {
        return ProcessStats.rssBytes(pid());
    }

    @Override
    public void close() {
        jvm.close();
    }
}
