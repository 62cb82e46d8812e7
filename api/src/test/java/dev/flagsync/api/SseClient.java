package dev.flagsync.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * The api module's one SSE test client, over java.net.http: collects the lines as they arrive
 * and parses them into events, and notes when each event id first arrived (System.nanoTime),
 * for tests and benchmarks that measure delivery.
 */
public final class SseClient implements AutoCloseable {

    public record Event(String event, long id, String data) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public final HttpResponse<Stream<String>> response;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Map<Long, Long> arrivals = new ConcurrentHashMap<>();
    private final CountDownLatch firstEvent = new CountDownLatch(1);
    private volatile boolean ended;

    private SseClient(HttpResponse<Stream<String>> response, LongConsumer onEvent) {
        this.response = response;
        Thread.ofVirtual().start(() -> {
            try (Stream<String> body = response.body()) {
                body.forEach(line -> {
                    lines.add(line);
                    if (line.startsWith("id: ")) {
                        long id = Long.parseLong(line.substring(4));
                        arrivals.putIfAbsent(id, System.nanoTime());
                        firstEvent.countDown();
                        onEvent.accept(id);
                    }
                });
            } catch (RuntimeException e) {
                // closed by the test or by the server
            }
            ended = true;
        });
    }

    /** Opens the stream and returns once the response headers are in. */
    public static SseClient open(URI uri, String... headers) {
        return open(uri, id -> { }, headers);
    }

    /** As {@link #open(URI, String...)}; {@code onEvent} is told each event id as it arrives, on the client's thread. */
    public static SseClient open(URI uri, LongConsumer onEvent, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().header("Accept", "text/event-stream");
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines()), onEvent);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public List<Event> events() {
        List<Event> events = new ArrayList<>();
        String event = "message";
        long id = -1;
        StringBuilder data = null;
        for (String line : lines) {
            if (line.isEmpty()) {
                if (data != null) {
                    events.add(new Event(event, id, data.toString()));
                }
                event = "message";
                data = null;
            } else if (line.startsWith("event: ")) {
                event = line.substring(7);
            } else if (line.startsWith("id: ")) {
                id = Long.parseLong(line.substring(4));
            } else if (line.startsWith("data: ")) {
                data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
            }
        }
        return events;
    }

    /** The id of the last complete event; -1 before the first. */
    public long lastId() {
        List<Event> events = events();
        return events.isEmpty() ? -1 : events.getLast().id();
    }

    /** When the event with this id first arrived (System.nanoTime), or null if it has not. */
    public Long arrivalNanos(long id) {
        return arrivals.get(id);
    }

    /** When the first event at or after this version arrived (a client is never sent the versions in between). */
    public Long arrivalNanosFrom(long version) {
        return arrivals.entrySet().stream().filter(arrival -> arrival.getKey() >= version)
                .map(Map.Entry::getValue).min(Long::compare).orElse(null);
    }

    public boolean awaitFirstEvent(Duration timeout) throws InterruptedException {
        return firstEvent.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    public boolean sawHeartbeat() {
        return lines.contains(": heartbeat");
    }

    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        response.body().close();
    }
}
