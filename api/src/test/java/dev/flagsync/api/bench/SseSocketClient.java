package dev.flagsync.api.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongConsumer;

/**
 * A minimal SSE client on a raw socket and a virtual thread, so a thousand cost the benchmark
 * little. HTTP/1.0 keeps the body unchunked: the lines are the SSE lines as sent. It records
 * when each event id first arrived (System.nanoTime).
 */
final class SseSocketClient implements AutoCloseable {

    private final Socket socket;
    final ConcurrentHashMap<Long, Long> arrivals = new ConcurrentHashMap<>();
    final CountDownLatch firstEvent = new CountDownLatch(1);
    private final LongConsumer onEvent;

    /** {@code onEvent} is told each event id as it arrives, on the client's own thread. */
    SseSocketClient(int port, String environment, LongConsumer onEvent) throws IOException {
        this.onEvent = onEvent;
        socket = new Socket("127.0.0.1", port);
        socket.getOutputStream().write(("GET /api/v1/environments/" + environment + "/flags/stream HTTP/1.0\r\n"
                + "Host: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        Thread.ofVirtual().start(this::read);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("id: ")) {
                    long id = Long.parseLong(line.substring(4));
                    arrivals.putIfAbsent(id, System.nanoTime());
                    firstEvent.countDown();
                    onEvent.accept(id);
                }
            }
        } catch (IOException e) {
            // closed by the benchmark
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
