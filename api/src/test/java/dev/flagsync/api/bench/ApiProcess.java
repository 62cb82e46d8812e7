package dev.flagsync.api.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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
 * The API as its own JVM (dev.flagsync.api.Main, as in production), so its heap holds only
 * server-side state and can be measured apart from the benchmark's clients.
 */
final class ApiProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final int port;
    private final Process process;

    private ApiProcess(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    static ApiProcess start(Map<String, String> env, Path log) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "dev.flagsync.api.Main")).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("HTTP_HOST", "127.0.0.1");
        builder.environment().put("HTTP_PORT", Integer.toString(port));
        ApiProcess api = new ApiProcess(port, builder.start());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (api.get("/health/live").statusCode() == 200) {
                    return api;
                }
            } catch (IOException e) {
                TimeUnit.MILLISECONDS.sleep(200); // not up yet; a benchmark, not a test
            }
        }
        api.close();
        throw new IllegalStateException("API did not start; see " + log + ":\n" + Files.readString(log));
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Heap in use after two full GCs (jcmd GC.run), summed over the heap pools Micrometer reports. */
    long heapUsedAfterGc() throws Exception {
        for (int i = 0; i < 2; i++) {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), "GC.run").redirectErrorStream(true).start();
            jcmd.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            jcmd.waitFor(30, TimeUnit.SECONDS);
        }
        return (long) get("/metrics").body().lines()
                .filter(line -> line.startsWith("jvm_memory_used_bytes{area=\"heap\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** Resident set size of the API process, from /proc. */
    long rssBytes() {
        try {
            return Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")).stream()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024)
                    .findFirst().orElse(-1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
