package dev.flagsync.api.http;

import dev.flagsync.api.access.AccessToken;
import dev.flagsync.api.access.TokenType;
import dev.flagsync.api.access.View;
import dev.flagsync.api.ofrep.ErrorCode;
import dev.flagsync.api.ofrep.OfrepResponse;
import dev.flagsync.api.ofrep.OfrepService;
import dev.flagsync.api.read.FlagReader;
import dev.flagsync.api.read.NoSourceAvailableException;
import dev.flagsync.api.read.Read;
import dev.flagsync.shared.flag.FlagNames;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.function.BiFunction;

/**
 * OFREP 0.3.0 over HTTP: picks the environment, reads its snapshot and copies what
 * {@link OfrepService} decides onto the response. Every answer uses OFREP's own shapes.
 *
 * <p>A context without {@code remoteAddress} gets the client's address when the caller uses a
 * {@code frontend} token, as Unleash's frontend API does: such a caller is a browser, so the
 * address is the user's. For other callers it is left unset, since a server-side OFREP provider
 * calls from its own host, whose address says nothing about the user it evaluates for.
 */
public final class OfrepResource implements Resource {

    static final String ENVIRONMENT_HEADER = "X-Flag-Environment";

    private final FlagReader reader;
    private final Access access;
    private final OfrepService service;
    private final String defaultEnvironment;

    public OfrepResource(FlagReader reader, Access access, OfrepService service, String defaultEnvironment) {
        this.reader = reader;
        this.access = access;
        this.service = service;
        this.defaultEnvironment = defaultEnvironment;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/ofrep/v1/evaluate/flags/{key}", this::one);
        routes.post("/ofrep/v1/evaluate/flags", this::bulk);
    }

    private void one(Context ctx) {
        String key = ctx.pathParam("key");
        answer(ctx, key, (read, address) -> service.evaluate(read.snapshot().snapshot(), key, ctx.bodyAsBytes(), address));
    }

    private void bulk(Context ctx) {
        answer(ctx, null, (read, address) -> service.evaluateAll(read.snapshot().snapshot(), ctx.bodyAsBytes(),
                ctx.header("If-None-Match"), address));
    }

    /** {@code key} is null for the bulk endpoint, whose failures carry no key. */
    private void answer(Context ctx, String key, BiFunction<Read, String, OfrepResponse> evaluation) {
        // Without the header, a token for exactly one environment means that one.
        String environment = access.evaluationEnvironment(ctx, ctx.header(ENVIRONMENT_HEADER), defaultEnvironment);
        if (!FlagNames.isEnvironment(environment)) {
            // The environment chooses what the context is evaluated against, and the client sent
            // one that cannot exist: a client error (400), not a server fault (GENERAL).
            write(ctx, invalidEnvironment(key, environment));
            return;
        }
        AccessToken token = access.requireRead(ctx, environment, View.EVALUATED);
        String address = token != null && token.type() == TokenType.FRONTEND ? access.clientAddress(ctx) : null;
        Read read;
        try {
            read = reader.read(environment);
        } catch (NoSourceAvailableException e) {
            write(ctx, OfrepResponse.generalError(key, "no source can answer for environment " + environment));
            return;
        }
        ctx.header(FlagsResource.SOURCE_HEADER, read.source().header());
        write(ctx, evaluation.apply(read, address));
    }

    private static OfrepResponse invalidEnvironment(String key, String environment) {
        String details = ENVIRONMENT_HEADER + " must match ^[a-z0-9][a-z0-9_-]{0,62}$, got '"
                + environment.substring(0, Math.min(environment.length(), 80)) + "'";
        return key == null ? OfrepResponse.bulkFailure(ErrorCode.INVALID_CONTEXT, details)
                : OfrepResponse.failure(key, ErrorCode.INVALID_CONTEXT, details);
    }

    private static void write(Context ctx, OfrepResponse response) {
        ctx.status(response.status());
        response.etagHeader().ifPresent(etag -> ctx.header("ETag", etag));
        if (response.status() == 304) {
            return;
        }
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType("application/json").result(response.json());
    }
}
