package dev.flagsync.api.stream;

import dev.flagsync.shared.flag.EncodedSnapshot;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One Server-Sent Events frame, formatted once and written unchanged to every subscriber it suits.
 * A whole frame stands alone; a delta frame ({@link #delta}) only makes sense to a client at
 * version {@code base}, so any other client is sent {@code whole} instead.
 */
public record Frame(long version, byte[] bytes, long base, Frame whole) {

    static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

    private static final long ANY_BASE = Long.MIN_VALUE;
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.UTF_8);

    /** {@code event: flags}, {@code id: <version>}, the snapshot JSON as data. */
    public static Frame of(EncodedSnapshot snapshot) {
        return whole("flags", snapshot.version(), snapshot.json());
    }

    /**
     * A frame that stands alone: {@code event} (null for the default {@code message} event,
     * the only one some clients listen to), {@code id: <version>}, {@code json} as data.
     */
    public static Frame whole(String event, long version, byte[] json) {
        return new Frame(version, format(event, version, json), ANY_BASE, null);
    }

    /** A frame that takes a client from version {@code base} to {@code version}; others get {@code whole}. */
    public static Frame delta(String event, long base, long version, byte[] json, Frame whole) {
        if (whole == null || whole.version() != version || !whole.standsAlone()) {
            throw new IllegalArgumentException("a delta needs a whole frame of the same version to fall back on");
        }
        return new Frame(version, format(event, version, json), base, whole);
    }

    boolean standsAlone() {
        return base == ANY_BASE;
    }

    /** The frame a client that last got {@code clientVersion} can use. */
    Frame forClientAt(long clientVersion) {
        return standsAlone() || base == clientVersion ? this : whole;
    }

    private static byte[] format(String event, long version, byte[] json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + 64);
        if (event != null) {
            out.writeBytes(("event: " + event + "\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("id: " + version + "\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(DATA);
        for (byte b : json) {
            // Compact JSON has no raw line breaks, but a line break inside data would end the
            // field, so any that appears starts a new data line (the client joins them with \n).
            if (b == '\n') {
                out.write('\n');
                out.writeBytes(DATA);
            } else if (b != '\r') {
                out.write(b);
            }
        }
        out.writeBytes("\n\n".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
