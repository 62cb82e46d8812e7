package dev.flagsync.api.stream;

import java.io.IOException;

/** Where a subscriber's bytes go: an open HTTP response, seen without any HTTP framework. */
public interface StreamSink {

    /** Writes and flushes; an exception means the client is gone. */
    void write(byte[] bytes) throws IOException;

    /** Ends the response, so the client reconnects. Idempotent. */
    void close();
}
