package dev.flagsync.api.http;

import dev.flagsync.api.access.AccessControl;
import dev.flagsync.api.access.AccessException;
import dev.flagsync.api.access.AccessToken;
import dev.flagsync.api.access.Caller;
import dev.flagsync.api.access.Credentials;
import dev.flagsync.api.access.View;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Access control on HTTP: a before-handler admits every request (token, client address, rate
 * limits) and the resources ask it whether the caller may read or administer an environment.
 * Refusals are rendered here, as the API's JSON error or, on OFREP paths, in OFREP's shape.
 */
public final class Access {

    private static final String CALLER = "flagsync.caller";
    /** EventSource cannot send headers: the stream also takes the token as this query parameter. */
    static final String STREAM_TOKEN_PARAMETER = "access_token";
    /** ... and OFREP's event stream a credential derived from the token (StreamCredentials), never the token. */
    static final String STREAM_CREDENTIAL_PARAMETER = "credential";

    private final AccessControl control;

    public Access(AccessControl control) {
        this.control = control;
    }

    void configure(JavalinConfig javalin) {
        javalin.routes.before(this::admit);
        javalin.routes.exception(AccessException.class, Access::render);
    }

    private void admit(Context ctx) {
        String path = ctx.path();
        if (path.startsWith("/health/") || path.equals("/metrics")) {
            return; // probes and scrapes: neither authenticated nor limited
        }
        String secret = Credentials.secret(ctx.header("Authorization"), ctx.header("X-API-Key"));
        if (secret == null && path.endsWith("/flags/stream")) {
            secret = ctx.queryParam(STREAM_TOKEN_PARAMETER);
        }
        if (secret == null && path.equals(OfrepEventsResource.PATH)) {
            ctx.attribute(CALLER, control.admitStream(ctx.req().getRemoteAddr(), ctx.header("X-Forwarded-For"),
                    ctx.queryParam(STREAM_CREDENTIAL_PARAMETER), ctx.queryParam(OfrepEventsResource.ENVIRONMENT_PARAMETER)));
            return;
        }
        ctx.attribute(CALLER, control.admit(ctx.req().getRemoteAddr(), ctx.header("X-Forwarded-For"), secret));
    }

    private static Caller caller(Context ctx) {
        Caller caller = ctx.attribute(CALLER);
        if (caller == null) {
            throw new IllegalStateException("no caller on " + ctx.path() + ": the access filter did not run");
        }
        return caller;
    }

    /** The caller's token, or null for an anonymous read in open mode; throws 401/403/503 otherwise. */
    AccessToken requireRead(Context ctx, String environment, View view) {
        return control.requireRead(caller(ctx), environment, view);
    }

    /** As {@link #requireRead}, but a presented credential must authenticate in open mode too (Unleash SDKs). */
    AccessToken requireSdkRead(Context ctx, String environment, View view) {
        return control.requireSdkRead(caller(ctx), environment, view);
    }

    /** An admin token covering the environment (every environment when null). */
    AccessToken requireAdmin(Context ctx, String environment) {
        return control.requireAdmin(caller(ctx), environment);
    }

    /** The credential for an event-stream URL of this token and environment; empty when there is no token. */
    Optional<String> streamCredential(AccessToken token, String environment) {
        return token == null ? Optional.empty() : control.streamCredential(token, environment);
    }

    /** Whether a stream opened with this token (null: anonymously) may stay open. */
    boolean stillValid(AccessToken token) {
        return control.stillValid(token);
    }

    /** The client's address: the peer, or behind TRUSTED_PROXIES the forwarded one. */
    String clientAddress(Context ctx) {
        return caller(ctx).clientAddress();
    }

    String evaluationEnvironment(Context ctx, String header, String defaultEnvironment) {
        return control.evaluationEnvironment(caller(ctx), header, defaultEnvironment);
    }

    private static void render(AccessException e, Context ctx) {
        if (e.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        if (e.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        ctx.status(e.status()).contentType("application/json");
        if (ctx.path().startsWith("/ofrep/")) {
            // OFREP defines these statuses without a body shape; its providers read the status
            // (and Retry-After on 429). The details are for people.
            ctx.json(Map.of("errorDetails", e.getMessage()));
            return;
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", e.code());
        body.put("message", e.getMessage());
        ctx.json(body);
    }
}
