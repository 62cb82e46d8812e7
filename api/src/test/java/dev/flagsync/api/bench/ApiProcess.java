package dev.flagsync.api.bench;

import dev.flagsync.localstack.ChildJvm;
import dev.flagsync.localstack.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.concurrent.TimeUnit;

/**
 * The API as its own JVM (dev.flagsync.api.Main, as in production), so its heap holds only
 * server-side state and can be measured apart from the benchmark's clients.
 */
final class ApiProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final int port;
    private final ChildJvm jvm;

    private ApiProcess(int port, ChildJvm jvm) {
        this.port = port;
        this.jvm = jvm;
    }

    static ApiProcess start(Map<String, String> env, Path log) {
        int port = Ports.free();
        Map<String, String> all = new HashMap<>(env);
        all.put("HTTP_HOST", "127.0.0.1");
        all.put("HTTP_PORT", Integer.toString(port));
        ChildJvm jvm = ChildJvm.start(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "dev.flagsync.api.Main"), all, log);
        jvm.awaitHttpOk(port, "/health/live", Duration.ofSeconds(60));
        return new ApiProcess(port, jvm);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Heap in use after two full GCs (jcmd GC.run), summed over the heap pools Micrometer reports. */
    long heapUsedAfterGc() throws Exception {
        for (int i = 0; i < 2; i++) {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(jvm.pid()), "GC.run").redirectErrorStream(true).start();
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
            return Files.readAllLines(Path.of("/proc/" + jvm.pid() + "/status")).stream()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024)
                    .findFirst().orElse(-1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        jvm.close();
    }
}
