package dev.flagsync.api.http;

import dev.flagsync.api.access.View;
import dev.flagsync.api.stream.SnapshotBroadcaster;
import dev.flagsync.shared.flag.FlagNames;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code GET /api/v1/environments/{env}/flags/stream}: Server-Sent Events of the environment's snapshot.
 * EventSource cannot send headers, so the token may also come as {@code ?access_token=}.
 */
public final class StreamResource implements Resource {

    private final SnapshotBroadcaster broadcaster;
    private final Access access;

    public StreamResource(SnapshotBroadcaster broadcaster, Access access) {
        this.broadcaster = broadcaster;
        this.access = access;
    }

    /** Registered before the one-flag route, whose {key} would otherwise match "stream". */
    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/environments/{env}/flags/stream", this::stream);
        // HEAD checks access like GET, and subscribes to nothing.
        routes.head("/api/v1/environments/{env}/flags/stream", ctx -> {
            access.requireRead(ctx, FlagNames.requireEnvironment(ctx.pathParam("env")), View.RAW);
            ctx.contentType("text/event-stream; charset=utf-8").header("Cache-Control", "no-cache");
        });
    }

    private void stream(Context ctx) {
        String environment = FlagNames.requireEnvironment(ctx.pathParam("env"));
        // The stream carries raw snapshots, so frontend tokens may not open it (Access explains).
        access.requireRead(ctx, environment, View.RAW);
        SseResponses.open(ctx, sink -> broadcaster.subscribe(environment, SseResponses.lastEventId(ctx), sink));
    }
}
