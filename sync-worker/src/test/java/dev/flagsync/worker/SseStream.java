package dev.flagsync.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * One Server-Sent Events connection over java.net.http, read line by line on a virtual
 * thread. Keeps each complete event, and when (System.nanoTime) each {@code id:} line arrived.
 */
final class SseStream implements AutoCloseable {

    record Event(long id, String data) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final HttpResponse<Stream<String>> response;
    private final ConcurrentSkipListMap<Long, Long> idArrivals = new ConcurrentSkipListMap<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();

    private SseStream(HttpResponse<Stream<String>> response) {
        this.response = response;
        Thread.ofVirtual().name("sse-" + response.uri().getPath()).start(this::read);
    }

    static SseStream open(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).GET().header("Accept", "text/event-stream").build();
        try {
            HttpResponse<Stream<String>> response = HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new IllegalStateException(uri + " answered " + response.statusCode());
            }
            return new SseStream(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        long id = -1;
        StringBuilder data = null;
        try (Stream<String> lines = response.body()) {
            for (var it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (line.startsWith("id: ")) {
                    id = Long.parseLong(line.substring(4));
                    idArrivals.putIfAbsent(id, System.nanoTime());
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
                } else if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, data.toString()));
                    }
                    data = null;
                }
            }
        } catch (RuntimeException e) {
            // the stream was closed by close() or by the server; the caller sees no new events
        }
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    /** The newest event whose id is at least this version. */
    Optional<Event> eventAtLeast(long version) {
        return events.stream().filter(event -> event.id() >= version).reduce((first, second) -> second);
    }

    /** When the stream first carried this version or a later one, in System.nanoTime. */
    Long arrival(long version) {
        // Versions may be skipped (one rewarm per batch) and arrive out of key order, hence the min.
        return idArrivals.tailMap(version, true).values().stream().min(Long::compare).orElse(null);
    }

    @Override
    public void close() {
        response.body().close();
    }
}
