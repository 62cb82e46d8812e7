package dev.flagsync.api.http;

import dev.flagsync.api.stream.StreamSink;
import io.javalin.http.Context;
import java.util.OptionalLong;
import java.util.function.Consumer;

/** What every Server-Sent Events endpoint does with its response: headers, an open sink, Last-Event-ID. */
final class SseResponses {

    private SseResponses() {
    }

    /**
     * Sets the stream's headers and hands {@code subscribe} a sink on the held-open response. It
     * may throw (cap reached, no source) before anything is written, so the error is mapped as usual.
     */
    static void open(Context ctx, Consumer<StreamSink> subscribe) {
        ResponseSink sink = new ResponseSink(ctx.res());
        ctx.status(200)
                .contentType("text/event-stream; charset=utf-8")
                .header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no");
        subscribe.accept(sink);
        ctx.future(sink::start); // Javalin calls it once the request is asynchronous
    }

    static OptionalLong lastEventId(Context ctx) {
        String header = ctx.header("Last-Event-ID");
        if (header == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty(); // not one of our ids: send the current state
        }
    }
}
