package dev.flagsync.api.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * CORS for browser frontends on other origins (CORS_ALLOWED_ORIGINS). Preflights allow a fixed
 * list of request headers, ours and those the OpenFeature and Unleash SDKs send, rather than
 * whatever is asked; answers expose the headers frontends read, and say {@code Vary: Origin}.
 * It runs before access control, so a 401 or 429 is readable by the page too.
 */
final class Cors {

    static final List<String> EXPOSED = List.of("ETag", "Retry-After", FlagsResource.SOURCE_HEADER);
    static final List<String> ALLOWED_HEADERS = List.of(
            "accept", "authorization", "cache-control", "content-type", "if-none-match", "last-event-id",
            "x-api-key", "x-flag-environment",
            // Unleash SDKs (unleash-proxy-client, unleash-client):
            "unleash-appname", "unleash-client-spec", "unleash-connection-id", "unleash-instanceid",
            "unleash-interval", "unleash-sdk");
    static final String ALLOWED_METHODS = "GET, HEAD, POST, PUT, DELETE";
    private static final String EXPOSED_VALUE = String.join(", ", EXPOSED);
    private static final String ALLOWED_HEADERS_VALUE = String.join(", ", ALLOWED_HEADERS);

    private final boolean anyOrigin;
    private final Set<String> origins;

    private Cors(List<String> allowedOrigins) {
        this.anyOrigin = allowedOrigins.equals(List.of("*"));
        this.origins = Set.copyOf(allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList());
    }

    static void configure(JavalinConfig javalin, List<String> allowedOrigins) {
        if (!allowedOrigins.isEmpty()) {
            javalin.routes.before(new Cors(allowedOrigins)::handle);
        }
    }

    private void handle(Context ctx) {
        ctx.header("Vary", "Origin");
        String origin = ctx.header("Origin");
        boolean allowed = origin != null && (anyOrigin || origins.contains(origin.toLowerCase(Locale.ROOT)));
        if (allowed) {
            ctx.header("Access-Control-Allow-Origin", anyOrigin ? "*" : origin);
            ctx.header("Access-Control-Expose-Headers", EXPOSED_VALUE);
        }
        if (ctx.method().name().equals("OPTIONS") && ctx.header("Access-Control-Request-Method") != null) {
            if (allowed) {
                ctx.header("Access-Control-Allow-Methods", ALLOWED_METHODS);
                ctx.header("Access-Control-Allow-Headers", ALLOWED_HEADERS_VALUE);
                ctx.header("Access-Control-Max-Age", "600");
            }
            // A preflight is answered here, for allowed and refused origins alike: the browser
            // enforces the answer, and no handler or rate limit runs for it. Skipping the rest
            // skips the after-handler too, so a body (legal, if odd, on OPTIONS) is drained here.
            UnreadBodies.drain(ctx);
            ctx.status(204).skipRemainingHandlers();
        }
    }
}
