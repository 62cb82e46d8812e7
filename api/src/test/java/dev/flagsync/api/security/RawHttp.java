package dev.flagsync.api.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A bare HTTP/1.1 client over a socket, so a test can send what java.net.http refuses to: any
 * method, raw bytes in the request line and headers, wrong lengths, bodies written slowly. It
 * reads one complete answer; anything less (a reset, an early end) is a {@link DroppedConnection}.
 */
final class RawHttp {

    /**
     * One answer; a stream (text/event-stream) is read up to its headers only. {@code cutOff}: the
     * server answered in full and closed before the request body was all written.
     */
    record Response(int status, Map<String, String> headers, byte[] body, boolean cutOff) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The server closed or reset the connection without a complete answer. */
    static final class DroppedConnection extends Exception {
        DroppedConnection(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** How the body goes out: all at once, or in pieces with a pause between them (a slow client). */
    record Pacing(int pieces, long pauseMillis) {
        static final Pacing AT_ONCE = new Pacing(1, 0);
    }

    private RawHttp() {
    }

    static Response exchange(int port, byte[] head, byte[] body, Pacing pacing, boolean headRequest)
            throws DroppedConnection {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            IOException writeFailure = null;
            try {
                out.write(head);
                write(out, body, pacing);
                out.flush();
            } catch (IOException e) {
                writeFailure = e; // the answer may still be there to read
            }
            try {
                return read(socket.getInputStream(), headRequest, writeFailure != null);
            } catch (IOException | DroppedConnection e) {
                if (writeFailure != null) {
                    e.addSuppressed(writeFailure);
                }
                throw e;
            }
        } catch (IOException e) {
            throw new DroppedConnection("no complete answer: " + e, e);
        }
    }

    private static void write(OutputStream out, byte[] body, Pacing pacing) throws IOException {
        if (body.length == 0) {
            return;
        }
        int piece = Math.max(1, (body.length + pacing.pieces() - 1) / pacing.pieces());
        for (int offset = 0; offset < body.length; offset += piece) {
            out.write(body, offset, Math.min(piece, body.length - offset));
            out.flush();
            if (pacing.pauseMillis() > 0 && offset + piece < body.length) {
                try {
                    // The stimulus of a slow client, not a wait for a condition.
                    Thread.sleep(pacing.pauseMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        }
    }

    private static Response read(InputStream in, boolean headRequest, boolean cutOff) throws IOException, DroppedConnection {
        String statusLine = line(in);
        if (statusLine == null || !statusLine.startsWith("HTTP/1.")) {
            throw new DroppedConnection("no status line, got: " + statusLine, null);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); ; header = line(in)) {
            if (header == null) {
                throw new DroppedConnection("connection ended inside the headers", null);
            }
            if (header.isEmpty()) {
                break;
            }
            int colon = header.indexOf(':');
            headers.merge(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        if (headRequest || status == 204 || status == 304 || status / 100 == 1
                || headers.getOrDefault("content-type", "").startsWith("text/event-stream")) {
            return new Response(status, headers, new byte[0], cutOff);
        }
        if (headers.getOrDefault("transfer-encoding", "").contains("chunked")) {
            return new Response(status, headers, chunked(in), cutOff);
        }
        String length = headers.get("content-length");
        if (length != null) {
            return new Response(status, headers, exactly(in, Integer.parseInt(length)), cutOff);
        }
        return new Response(status, headers, in.readAllBytes(), cutOff); // Connection: close delimits it
    }

    private static byte[] chunked(InputStream in) throws IOException, DroppedConnection {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            if (size == null) {
                throw new DroppedConnection("connection ended inside a chunked body", null);
            }
            int n = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (n == 0) {
                while (true) { // trailers, then the empty line
                    String trailer = line(in);
                    if (trailer == null || trailer.isEmpty()) {
                        return body.toByteArray();
                    }
                }
            }
            body.write(exactly(in, n));
            line(in);
        }
    }

    private static byte[] exactly(InputStream in, int n) throws IOException, DroppedConnection {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new DroppedConnection("body ended after " + bytes.length + " of " + n + " bytes", null);
        }
        return bytes;
    }

    /** A CRLF-terminated line, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
