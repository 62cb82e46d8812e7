package dev.flagsync.worker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a worker's health endpoints, once or all along: {@link #watch()} samples
 * {@code /health/live} every 100 ms until closed and keeps every answer that was not 200, so a
 * test can assert that a loop never died while it did its worst.
 */
final class WorkerHealth implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final int port;
    private final List<String> liveFailures = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService watcher;
    private final AtomicInteger samples = new AtomicInteger();

    WorkerHealth(int port) {
        this.port = port;
    }

    static WorkerHealth of(Worker worker) {
        return new WorkerHealth(worker.metricsPort());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    boolean ready() throws IOException, InterruptedException {
        return get("/health/ready").statusCode() == 200;
    }

    boolean live() throws IOException, InterruptedException {
        return get("/health/live").statusCode() == 200;
    }

    /** Starts sampling liveness in the background. */
    synchronized WorkerHealth watch() {
        watcher = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("health-watch").factory());
        watcher.scheduleWithFixedDelay(this::sample, 0, 100, TimeUnit.MILLISECONDS);
        return this;
    }

    private void sample() {
        try {
            HttpResponse<String> live = get("/health/live");
            samples.incrementAndGet();
            if (live.statusCode() != 200) {
                liveFailures.add(live.statusCode() + " " + live.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            liveFailures.add("no answer: " + e);
        }
    }

    /** Every non-200 liveness answer seen so far. */
    List<String> liveFailures() {
        return List.copyOf(liveFailures);
    }

    int samples() {
        return samples.get();
    }

    @Override
    public synchronized void close() {
        if (watcher == null) {
            return;
        }
        watcher.shutdownNow();
        try {
            watcher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
