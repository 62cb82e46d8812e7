package dev.flagsync.api.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads and drops what is left of a request body before the answer is written. A handler that
 * refuses a request early (401 before reading it, 413 from its declared length) leaves the body
 * unread; Jetty then closes the connection with bytes still unread, the kernel answers the
 * client's remaining bytes with a reset, and the client may lose the answer and see a dropped
 * connection instead. Bodies up to {@link #MAX_DRAIN_BYTES} are read to the end (bounded in time
 * by Jetty's idle timeout); larger ones get {@code Connection: close}.
 */
final class UnreadBodies {

    static final long MAX_DRAIN_BYTES = 8L * 1024 * 1024;

    private UnreadBodies() {
    }

    static void configure(JavalinConfig javalin) {
        javalin.routes.after(UnreadBodies::drain);
    }

    /** Also for handlers that answer and skip the rest (the CORS preflight), so no after-handler runs. */
    static void drain(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared == 0) {
            return;
        }
        if (declared > MAX_DRAIN_BYTES) {
            ctx.header("Connection", "close");
            return;
        }
        byte[] buffer = new byte[16 * 1024];
        long read = 0;
        try {
            InputStream in = ctx.req().getInputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                read += n;
                if (read > MAX_DRAIN_BYTES) {
                    ctx.header("Connection", "close");
                    return;
                }
            }
        } catch (IOException | IllegalStateException e) {
            // The client went away or the body was read another way: nothing left to protect.
        }
    }
}
