package dev.flagsync.systemtests.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Server-Sent Events clients spread over the environments, each on a virtual thread, behaving as
 * EventSource does: when a stream ends it reconnects with {@code Last-Event-ID}. Every frame's
 * version goes to the sightings when its {@code id:} line arrives.
 */
final class SseClients implements AutoCloseable {

    /** One stream; what it last received is what the final check compares. */
    static final class Client {
        final String environment;
        private volatile long lastId = -1;
        private volatile String lastData;
        private volatile Stream<String> open;

        Client(String environment) {
            this.environment = environment;
        }

        long lastId() {
            return lastId;
        }

        String lastData() {
            return lastData;
        }
    }

    private final Function<String, URI> streamUri;
    private final Phases phases;
    private final Sightings sightings;
    private final List<Client> clients = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    SseClients(Function<String, URI> streamUri, List<String> environments, int count, Phases phases, Sightings sightings) {
        this.streamUri = streamUri;
        this.phases = phases;
        this.sightings = sightings;
        for (int i = 0; i < count; i++) {
            clients.add(new Client(environments.get(i % environments.size())));
        }
    }

    SseClients start() {
        for (Client client : clients) {
            threads.add(Thread.ofVirtual().name("sse-" + client.environment).start(() -> run(client)));
        }
        return this;
    }

    List<Client> clients() {
        return List.copyOf(clients);
    }

    private void run(Client client) {
        boolean first = true;
        while (!stopped) {
            if (!first) {
                phases.current().sseReconnects.increment();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // EventSource waits too before it retries
            }
            first = false;
            try {
                connectAndRead(client);
            } catch (IOException | UncheckedIOException e) {
                if (!stopped) {
                    phases.current().unanswered.increment();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void connectAndRead(Client client) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(streamUri.apply(client.environment)).GET()
                .header("Accept", "text/event-stream");
        if (client.lastId >= 0) {
            request.header("Last-Event-ID", Long.toString(client.lastId));
        }
        Phase phase = phases.current();
        HttpResponse<Stream<String>> response = Http.CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        phase.reads.increment();
        if (response.statusCode() != 200) {
            response.body().close();
            (response.statusCode() >= 500 ? phase.serverErrors : phase.unexpected).increment();
            phase.notes.putIfAbsent("stream refused", client.environment + ": " + response.statusCode());
            return;
        }
        client.open = response.body();
        if (stopped) {
            response.body().close();
        }
        try (Stream<String> lines = response.body()) {
            read(client, lines.iterator());
        }
    }

    private void read(Client client, Iterator<String> lines) {
        long id = -1;
        StringBuilder data = null;
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("id: ")) {
                id = Long.parseLong(line.substring(4).trim());
                long now = System.nanoTime();
                Phase phase = phases.current();
                if (id < client.lastId) {
                    phase.backwards.increment();
                    phase.notes.putIfAbsent("back in time", client.environment + " " + id + " after " + client.lastId + " (SSE)");
                }
                phase.sseFrames.increment();
                sightings.saw(client.environment, id, now);
            } else if (line.startsWith("data: ")) {
                data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
            } else if (line.isEmpty() && data != null) {
                client.lastData = data.toString();
                client.lastId = Math.max(client.lastId, id);
                data = null;
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        for (Client client : clients) {
            Stream<String> open = client.open;
            if (open != null) {
                open.close();
            }
        }
        Threads.joinAll(threads, Duration.ofSeconds(10));
    }
}
