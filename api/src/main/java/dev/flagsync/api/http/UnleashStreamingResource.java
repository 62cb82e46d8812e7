package dev.flagsync.api.http;

import dev.flagsync.api.access.AccessToken;
import dev.flagsync.api.access.View;
import dev.flagsync.api.stream.SnapshotBroadcaster;
import dev.flagsync.api.stream.TooManyStreamsException;
import dev.flagsync.api.unleash.StreamingDeltas;
import dev.flagsync.shared.flag.FlagNames;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/**
 * {@code GET /api/client/streaming}: Unleash's streaming mode for server SDKs (an Enterprise
 * feature in Unleash), hydration on connect and deltas after every change ({@link StreamingDeltas}).
 * The environment and token rules are the client API's ({@link UnleashClientResource}).
 *
 * <p>Past SSE_MAX_CONNECTIONS the answer is 429, not 503: Unleash uses 429 to tell its SDKs
 * there are too many streaming clients, and they fall back to polling at once.
 */
public final class UnleashStreamingResource implements Resource {

    private final SnapshotBroadcaster broadcaster;
    private final Access access;
    private final String defaultEnvironment;

    public UnleashStreamingResource(SnapshotBroadcaster broadcaster, Access access, String defaultEnvironment) {
        this.broadcaster = broadcaster;
        this.access = access;
        this.defaultEnvironment = defaultEnvironment;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/client/streaming", this::stream);
    }

    private void stream(Context ctx) {
        String environment = FlagNames.requireEnvironment(
                access.evaluationEnvironment(ctx, ctx.header(OfrepResource.ENVIRONMENT_HEADER), defaultEnvironment));
        AccessToken token = access.requireSdkRead(ctx, environment, View.RAW);
        try {
            SseResponses.open(ctx, sink -> broadcaster.subscribe(StreamingDeltas.INSTANCE, environment,
                    SseResponses.lastEventId(ctx), sink, () -> access.stillValid(token)));
        } catch (TooManyStreamsException e) {
            ctx.status(429).header("Retry-After", "5").contentType("application/json")
                    .json(Map.of("error", "too_many_streams", "message", e.getMessage()));
        }
    }
}
