package dev.flagsync.api.bench;

import dev.flagsync.localstack.ChildJvm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The least a stream server can do, to measure {@link ManyStreams} on its own: in a JVM of its
 * own (10,000 sockets on each side do not fit one process's file limit), it answers each
 * connection with SSE headers and a first frame, and when a connection asks for {@code GET /go}
 * writes one frame of {@code size} bytes to every stream from one thread, as fast as the sockets
 * take it, then answers with how long that loop took (nanoseconds). The clients' figures against
 * it show what the client side costs the fan-out figure.
 */
public final class FakeStreamServer {

    private FakeStreamServer() {
    }

    /** {@code FakeStreamServer <port> <frame bytes>}. */
    public static void main(String[] args) throws IOException {
        int size = Integer.parseInt(args[1]);
        byte[] headers = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] first = "event: flags\nid: 1\ndata: {}\n\n".getBytes(StandardCharsets.US_ASCII);
        byte[] frame = ("event: flags\nid: 2\ndata: " + "x".repeat(Math.max(0, size - 30)) + "\n\n").getBytes(StandardCharsets.US_ASCII);
        List<SocketChannel> streams = new ArrayList<>();
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])), 1024);
            while (true) {
                SocketChannel channel = server.accept();
                ByteBuffer request = ByteBuffer.allocate(1024);
                channel.read(request);
                if (new String(request.array(), 0, request.position(), StandardCharsets.US_ASCII).startsWith("GET /go")) {
                    long started = System.nanoTime();
                    for (SocketChannel stream : streams) {
                        try {
                            writeFully(stream, frame);
                        } catch (IOException e) {
                            stream.close(); // a probe that has gone
                        }
                    }
                    writeFully(channel, Long.toString(System.nanoTime() - started).getBytes(StandardCharsets.US_ASCII));
                    channel.close();
                } else {
                    try {
                        writeFully(channel, headers);
                        writeFully(channel, first);
                        streams.add(channel);
                    } catch (IOException e) {
                        channel.close();
                    }
                }
            }
        }
    }

    private static void writeFully(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Starts the server as a child JVM on {@code port}, frames of {@code size} bytes. */
    static ChildJvm start(int port, int size, Path log) {
        return ChildJvm.start(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"),
                FakeStreamServer.class.getName(), Integer.toString(port), Integer.toString(size)), Map.of(), log);
    }

    /** Asks the server at {@code port} to write its frame to every stream; returns its loop's nanoseconds. */
    static long broadcast(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.getOutputStream().write("GET /go HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return Long.parseLong(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim());
        }
    }
}
