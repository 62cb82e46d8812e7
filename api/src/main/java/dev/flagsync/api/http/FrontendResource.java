package dev.flagsync.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.api.access.View;
import dev.flagsync.api.frontend.FrontendAnswer;
import dev.flagsync.api.frontend.FrontendContext;
import dev.flagsync.api.frontend.FrontendService;
import dev.flagsync.api.read.FlagReader;
import dev.flagsync.api.read.Read;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.FlagNames;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * Unleash's frontend API, for the browser SDK {@code unleash-proxy-client} and the React SDK on
 * top of it: the toggles enabled for a context given in the query (GET) or the body (POST),
 * with an ETag over the answer and 304 on {@code If-None-Match}; and the SDK's metrics and
 * registration, accepted (202) and not kept. The environment is chosen as for OFREP:
 * {@code X-Flag-Environment}, else the token's only environment, else DEFAULT_ENVIRONMENT; so
 * a token that does not authenticate is refused in {@code open} mode too, as on the Unleash
 * client API. A store that cannot answer is 503 (with Retry-After), never 401.
 */
public final class FrontendResource implements Resource {

    static final String BASE = "/api/frontend";

    private final FlagReader reader;
    private final Access access;
    private final FrontendService service;
    private final String defaultEnvironment;
    private final Supplier<String> sessionIds;

    /** @param sessionIds a fresh session id for a context without one, e.g. {@link FrontendContext#randomSessionId} */
    public FrontendResource(FlagReader reader, Access access, FrontendService service, String defaultEnvironment,
                            Supplier<String> sessionIds) {
        this.reader = reader;
        this.access = access;
        this.service = service;
        this.defaultEnvironment = defaultEnvironment;
        this.sessionIds = sessionIds;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(BASE, this::query);
        // Without it Javalin answers HEAD with 200 for the GET route, before any access check.
        routes.head(BASE, this::query);
        routes.post(BASE, ctx -> {
            String environment = environment(ctx); // before the body is read
            toggles(ctx, environment, body(ctx));
        });
        routes.post(BASE + "/client/metrics", this::accepted);
        routes.post(BASE + "/client/register", this::accepted);
    }

    private void query(Context ctx) {
        String environment = environment(ctx);
        toggles(ctx, environment, FrontendContext.fromQuery(ctx.queryParamMap()));
    }

    private void toggles(Context ctx, String environment, FrontendContext context) {
        Read read = reader.read(environment);
        FrontendAnswer answer = service.toggles(read.snapshot().snapshot(),
                context.toContext(access.clientAddress(ctx), sessionIds));
        ctx.header(FlagsResource.SOURCE_HEADER, read.source().header());
        ctx.header("ETag", answer.etag());
        ctx.header("Cache-Control", "no-cache");
        if (answer.matches(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType("application/json").result(answer.json());
    }

    /** The environment, once the caller may read its evaluations (401/403/503 otherwise). */
    private String environment(Context ctx) {
        String environment = access.evaluationEnvironment(ctx, ctx.header(OfrepResource.ENVIRONMENT_HEADER),
                defaultEnvironment);
        if (!FlagNames.isEnvironment(environment)) {
            throw new ApiError(400, "bad_request", OfrepResource.ENVIRONMENT_HEADER
                    + " must match ^[a-z0-9][a-z0-9_-]{0,62}$, got '"
                    + environment.substring(0, Math.min(environment.length(), 80)) + "'");
        }
        access.requireSdkRead(ctx, environment, View.EVALUATED);
        return environment;
    }

    private static FrontendContext body(Context ctx) {
        try {
            return FrontendContext.fromBody(ctx.bodyAsBytes());
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "bad_request", e.getMessage());
        }
    }

    /**
     * Metrics and registration: Unleash answers these 200 and the SDK ignores the status; 202
     * says what happens here, accepted and not kept. The body must still be one JSON object, as
     * Unleash's schema validation demands, so a broken client is told.
     */
    private void accepted(Context ctx) {
        environment(ctx);
        JsonNode body;
        try {
            body = FlagJson.mapper().readTree(ctx.bodyAsBytes());
        } catch (JsonProcessingException e) {
            throw new ApiError(400, "bad_request", "body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiError(400, "bad_request", "body could not be read");
        }
        if (body == null || !body.isObject()) {
            throw new ApiError(400, "bad_request", "body must be a JSON object");
        }
        ctx.status(202);
    }
}
