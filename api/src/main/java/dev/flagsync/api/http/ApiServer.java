package dev.flagsync.api.http;

import dev.flagsync.api.ApiConfig;
import dev.flagsync.api.admin.RulesRefusedException;
import dev.flagsync.api.admin.StillInUseException;
import dev.flagsync.api.read.NoSourceAvailableException;
import dev.flagsync.api.stream.TooManyStreamsException;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.InvalidFlagException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP server: the resources it is given, error mapping in one place, request metrics. */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final Javalin app;

    /**
     * @param access    authentication, scopes and rate limits, checked before any resource
     * @param resources registered in this order (the stream route must come before the one-flag route)
     */
    public ApiServer(ApiConfig config, Access access, List<Resource> resources, PrometheusMeterRegistry metrics) {
        this.app = Javalin.create(javalin -> {
            configure(javalin, config, metrics);
            // Order matters: CORS headers first (in configure), so refusals are readable by pages; then access control.
            access.configure(javalin);
            UnreadBodies.configure(javalin);
            resources.forEach(resource -> resource.register(javalin.routes));
        });
    }

    private static void configure(JavalinConfig javalin, ApiConfig config, PrometheusMeterRegistry metrics) {
        javalin.startup.showJavalinBanner = false;
        javalin.startup.showOldJavalinVersionWarning = false;
        javalin.http.maxRequestSize = AdminResource.MAX_BODY_BYTES;
        javalin.http.generateEtags = false;
        javalin.jsonMapper(new JavalinJackson(FlagJson.mapper(), false));
        javalin.concurrency.useVirtualThreads = true;
        Cors.configure(javalin, config.corsAllowedOrigins());
        javalin.requestLogger.http((ctx, ms) -> Timer.builder("flagsync.http.requests")
                .description("HTTP request latency by route")
                .tag("method", ctx.method().name())
                .tag("route", route(ctx))
                .tag("status", Integer.toString(ctx.statusCode()))
                .publishPercentileHistogram()
                .register(metrics)
                .record(Duration.ofNanos((long) (ms * 1_000_000))));
        javalin.routes.exception(ApiError.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage()));
        javalin.routes.exception(InvalidFlagException.class, (e, ctx) -> error(ctx, 400, "bad_request", e.getMessage()));
        // Every error of a refused flag or segment, each with its JSON path; the message has the first.
        javalin.routes.exception(RulesRefusedException.class, (e, ctx) -> error(ctx, 400, "bad_request", e.getMessage(),
                Map.of("errors", e.errors().stream().map(error -> Map.of("path", error.path(), "message", error.message())).toList())));
        javalin.routes.exception(StillInUseException.class,
                (e, ctx) -> error(ctx, 409, "conflict", e.getMessage(), Map.of("flags", e.flags())));
        javalin.routes.exception(NoSourceAvailableException.class,
                (e, ctx) -> error(ctx.header("Retry-After", "1"), 503, "unavailable", e.getMessage()));
        javalin.routes.exception(TooManyStreamsException.class,
                (e, ctx) -> error(ctx.header("Retry-After", "5"), 503, "too_many_streams", e.getMessage()));
        javalin.routes.exception(HttpResponseException.class,
                (e, ctx) -> error(ctx, e.getStatus(), codeFor(e.getStatus()), e.getMessage()));
        javalin.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal", "internal error");
        });
    }

    /**
     * The route template, not the raw path, so metrics stay bounded whatever clients send. The
     * matched HTTP endpoint, not the current one: that is the last before- or after-handler ("*").
     */
    private static String route(Context ctx) {
        try {
            Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
            return endpoint == null ? "unmatched" : endpoint.path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }

    /** Javalin's own answers (no route, body over the limit, ...) get the same JSON shape. */
    private static String codeFor(int status) {
        return switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            default -> status < 500 ? "bad_request" : "internal";
        };
    }

    private static void error(Context ctx, int status, String code, String message) {
        error(ctx, status, code, message, Map.of());
    }

    /** The contract's error body, {@code {"error","message"}}, plus {@code details} for errors that name more. */
    private static void error(Context ctx, int status, String code, String message, Map<String, ?> details) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message == null ? code : message);
        body.putAll(details);
        ctx.status(status).json(body);
    }

    public ApiServer start(String host, int port) {
        app.start(host, port);
        LOG.info("API listening on {}:{}", host, app.port());
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
