package dev.flagsync.api.stream;

import java.io.IOException;

/**
 * Where a subscriber's bytes go: an open HTTP response written without blocking, seen without any
 * HTTP framework. A write is only made after {@link #ready()} said yes; when it said no, the sink
 * tells its {@link Events} once the pending write has gone out, so no thread ever waits on a
 * slow client.
 */
public interface StreamSink {

    /** What the sink tells its subscriber; called on the server's threads. */
    interface Events {
        /** A write may be made now (the stream started, or a write that could not finish at once has). */
        void writable();

        /** The connection failed (the client went away, or a write timed out). */
        void failed(Throwable cause);
    }

    /** Sets who hears of the sink's events; called before the first write. */
    void listen(Events events);

    /** True when {@link #write} may be called now; false means {@link Events#writable()} follows. */
    boolean ready();

    /** Hands the bytes to the connection without blocking; an exception means the client is gone. */
    void write(byte[] bytes) throws IOException;

    /** Ends the response, so the client reconnects. Idempotent. */
    void close();
}
