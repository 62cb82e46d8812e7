package dev.flagsync.api.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many SSE connections read by one thread: plain sockets on one selector, HTTP/1.1, and per
 * connection only a scanner for {@code id: <n>} lines, so 10,000 clients cost the machine a read
 * and a scan each per frame, not a thread and an HTTP client's line decoder. For the fan-out
 * benchmark, which runs its clients on the cores the server uses: the lighter the client, the
 * more of the figure is the server's. Each connection notes when it first saw an id at or above
 * the one awaited ({@link #await}).
 */
final class ManyStreams implements AutoCloseable {

    private static final byte[] PATTERN = "\nid: ".getBytes(StandardCharsets.US_ASCII);
    private static final int STEP = 250;

    private final Selector selector;
    private final List<Connection> connections = new ArrayList<>();
    private final Thread reader;
    private final AtomicLong awaited = new AtomicLong(Long.MAX_VALUE);
    private volatile CountDownLatch arrivals = new CountDownLatch(0);
    private volatile CountDownLatch firstEvents;
    private volatile boolean closing;
    private volatile int failed;

    /** One connection's scanning state; touched by the reader thread only, except the arrival time. */
    private final class Connection {
        final SocketChannel channel;
        int matched;
        long digits = -1;
        boolean seenFirst;
        volatile long arrivedAt;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }

        void scan(ByteBuffer data) {
            while (data.hasRemaining()) {
                byte b = data.get();
                if (digits >= 0) {
                    if (b >= '0' && b <= '9') {
                        digits = digits * 10 + (b - '0');
                        continue;
                    }
                    id(digits);
                    digits = -1;
                }
                matched = b == PATTERN[matched] ? matched + 1 : (b == PATTERN[0] ? 1 : 0);
                if (matched == PATTERN.length) {
                    matched = 0;
                    digits = 0;
                }
            }
        }

        private void id(long id) {
            if (!seenFirst) {
                seenFirst = true;
                firstEvents.countDown();
            }
            if (id >= awaited.get() && arrivedAt == 0) {
                arrivedAt = System.nanoTime();
                arrivals.countDown();
            }
        }
    }

    private ManyStreams(Selector selector) {
        this.selector = selector;
        this.reader = Thread.ofPlatform().name("many-streams").daemon(true).unstarted(this::read);
    }

    /** Opens {@code count} streams of {@code path} on 127.0.0.1:{@code port} and returns once each got its first event. */
    static ManyStreams open(int port, String path, int count, Duration timeout) throws IOException, InterruptedException {
        ManyStreams streams = new ManyStreams(Selector.open());
        streams.add(port, path, count, timeout);
        return streams;
    }

    /**
     * Opens {@code count} more streams and returns once each got its first event. They connect in
     * steps of {@link #STEP}, each step waiting for its first events, so the server's accept queue
     * never overflows.
     */
    void add(int port, String path, int count, Duration timeout) throws IOException, InterruptedException {
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int done = 0; done < count; done += STEP) {
            int step = Math.min(STEP, count - done);
            firstEvents = new CountDownLatch(step);
            List<Connection> opened = new ArrayList<>();
            for (int i = 0; i < step; i++) {
                SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.write(ByteBuffer.wrap(request));
                channel.configureBlocking(false);
                opened.add(new Connection(channel));
            }
            synchronized (connections) {
                connections.addAll(opened);
            }
            for (Connection connection : opened) {
                selector.wakeup();
                connection.channel.register(selector, SelectionKey.OP_READ, connection);
            }
            if (!reader.isAlive()) {
                reader.start();
            }
            selector.wakeup();
            if (!firstEvents.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException(firstEvents.getCount() + " of " + step + " streams (after " + done
                        + ") got no first event within " + timeout.toSeconds() + " s; " + failed + " connections failed");
            }
        }
    }

    private void read() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        while (!closing) {
            try {
                selector.select(100);
            } catch (IOException e) {
                if (!closing) {
                    throw new UncheckedIOException(e);
                }
                return;
            }
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                Connection connection = (Connection) key.attachment();
                buffer.clear();
                try {
                    if (connection.channel.read(buffer) < 0) {
                        key.cancel();
                        continue;
                    }
                } catch (IOException e) {
                    key.cancel();
                    failed++;
                    continue;
                }
                buffer.flip();
                connection.scan(buffer);
            }
        }
    }

    /** From now on, the first id at or above {@code version} on each connection is timed. */
    void await(long version) {
        synchronized (connections) {
            arrivals = new CountDownLatch(connections.size());
            connections.forEach(connection -> connection.arrivedAt = 0);
        }
        awaited.set(version);
    }

    /** Waits until every connection had the awaited version, or the timeout; true if all had it. */
    boolean allArrived(Duration timeout) throws InterruptedException {
        return arrivals.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Each connection's arrival minus {@code since} (System.nanoTime), in ms, sorted; connections without one are left out. */
    double[] latenciesMillis(long since) {
        synchronized (connections) {
            return connections.stream().mapToLong(connection -> connection.arrivedAt).filter(at -> at != 0)
                    .mapToDouble(at -> (at - since) / 1e6).sorted().toArray();
        }
    }

    int size() {
        synchronized (connections) {
            return connections.size();
        }
    }

    static double quantile(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    @Override
    public void close() throws IOException {
        closing = true;
        selector.wakeup();
        synchronized (connections) {
            for (Connection connection : connections) {
                connection.channel.close();
            }
        }
        try {
            reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        selector.close();
    }
}
