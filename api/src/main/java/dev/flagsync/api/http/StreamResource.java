package dev.flagsync.api.http;

import dev.flagsync.api.stream.SnapshotBroadcaster;
import dev.flagsync.shared.flag.FlagNames;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.OptionalLong;

/** {@code GET /api/v1/environments/{env}/flags/stream}: Server-Sent Events of the environment's snapshot. */
public final class StreamResource implements Resource {

    private final SnapshotBroadcaster broadcaster;
    private final ReadAccess access;

    public StreamResource(SnapshotBroadcaster broadcaster, ReadAccess access) {
        this.broadcaster = broadcaster;
        this.access = access;
    }

    /** Registered before the one-flag route, whose {key} would otherwise match "stream". */
    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/environments/{env}/flags/stream", this::stream);
    }

    private void stream(Context ctx) throws Exception {
        access.require(ctx);
        String environment = FlagNames.requireEnvironment(ctx.pathParam("env"));
        ResponseSink sink = new ResponseSink(ctx.res());
        ctx.status(200)
                .contentType("text/event-stream; charset=utf-8")
                .header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no");
        // Throws (cap reached, no source) before anything is written, so the error is mapped as usual.
        broadcaster.subscribe(environment, lastEventId(ctx), sink);
        ctx.future(sink::start); // Javalin calls it once the request is asynchronous
    }

    private static OptionalLong lastEventId(Context ctx) {
        String header = ctx.header("Last-Event-ID");
        if (header == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty(); // not one of our ids: send the current snapshot
        }
    }
}
