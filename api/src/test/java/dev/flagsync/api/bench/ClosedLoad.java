package dev.flagsync.api.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/** A closed-loop load generator: N virtual-thread clients, each sending its next request when the last one answered. */
final class ClosedLoad {

    record Result(double requestsPerSecond, long errors) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** {@code requests} gives client i's next request; answers other than 200 count as errors. */
    static Result run(int clients, Duration duration, IntFunction<HttpRequest> requests) throws InterruptedException {
        LongAdder ok = new LongAdder();
        LongAdder errors = new LongAdder();
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            int client = i;
            threads.add(Thread.ofVirtual().start(() -> {
                int n = 0;
                while (System.nanoTime() < end) {
                    try {
                        HttpResponse<byte[]> response = HTTP.send(requests.apply(client * 1_000_000 + n++),
                                HttpResponse.BodyHandlers.ofByteArray());
                        if (response.statusCode() == 200) {
                            ok.increment();
                        } else {
                            errors.increment();
                            System.err.println("answer " + response.statusCode() + ": " + new String(response.body()));
                        }
                    } catch (Exception e) {
                        errors.increment();
                        System.err.println("request failed: " + e);
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(ok.sum() / seconds, errors.sum());
    }

    static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
    }
}
