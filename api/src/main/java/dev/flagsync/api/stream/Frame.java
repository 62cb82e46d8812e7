package dev.flagsync.api.stream;

import dev.flagsync.shared.flag.EncodedSnapshot;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** One Server-Sent Events frame for a snapshot, formatted once and written unchanged to every subscriber. */
public record Frame(long version, byte[] bytes) {

    static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.UTF_8);

    /** {@code event: flags}, {@code id: <version>}, the snapshot JSON as data. */
    public static Frame of(EncodedSnapshot snapshot) {
        byte[] json = snapshot.json();
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + 64);
        out.writeBytes(("event: flags\nid: " + snapshot.version() + "\n").getBytes(StandardCharsets.UTF_8));
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
        return new Frame(snapshot.version(), out.toByteArray());
    }
}
