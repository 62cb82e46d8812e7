package dev.flagsync.api.http;

import dev.flagsync.api.access.AccessToken;
import dev.flagsync.api.access.View;
import dev.flagsync.api.ofrep.RefetchNotices;
import dev.flagsync.api.stream.SnapshotBroadcaster;
import dev.flagsync.shared.flag.FlagNames;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /ofrep/v1/events?environment=<env>&credential=<c>}: OFREP's event stream (ADR-0008),
 * {@code refetchEvaluation} after every change of the environment. Bulk evaluations point at it
 * ({@link #eventStreams}); its URL carries a credential derived from the caller's token, because
 * EventSource cannot send headers. An {@code Authorization} header works too, for other clients.
 */
public final class OfrepEventsResource implements Resource {

    static final String PATH = "/ofrep/v1/events";
    static final String ENVIRONMENT_PARAMETER = "environment";
    /** The provider's own default; a hidden page closes its stream after this long. */
    static final int INACTIVITY_DELAY_SECONDS = 120;

    private final SnapshotBroadcaster broadcaster;
    private final Access access;

    public OfrepEventsResource(SnapshotBroadcaster broadcaster, Access access) {
        this.broadcaster = broadcaster;
        this.access = access;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(PATH, this::stream);
    }

    private void stream(Context ctx) {
        String environment = ctx.queryParam(ENVIRONMENT_PARAMETER);
        FlagNames.requireEnvironment(environment == null ? "" : environment);
        // Refetch notices say only that the environment changed: evaluated answers' view, so frontend tokens may listen.
        AccessToken token = access.requireRead(ctx, environment, View.EVALUATED);
        SseResponses.open(ctx, sink -> broadcaster.subscribe(RefetchNotices.INSTANCE, environment,
                SseResponses.lastEventId(ctx), sink, () -> access.stillValid(token)));
    }

    /**
     * The {@code eventStreams} of a bulk answer: one SSE stream, its URI relative to the
     * provider's base URL's origin, so it works through any host name the client used.
     */
    List<Map<String, Object>> eventStreams(AccessToken token, String environment) {
        StringBuilder uri = new StringBuilder(PATH).append('?').append(ENVIRONMENT_PARAMETER).append('=')
                .append(URLEncoder.encode(environment, StandardCharsets.UTF_8));
        access.streamCredential(token, environment).ifPresent(credential ->
                uri.append('&').append(Access.STREAM_CREDENTIAL_PARAMETER).append('=').append(credential));
        return List.of(Map.of("type", "sse", "endpoint", Map.of("requestUri", uri.toString()),
                "inactivityDelaySec", INACTIVITY_DELAY_SECONDS));
    }
}
