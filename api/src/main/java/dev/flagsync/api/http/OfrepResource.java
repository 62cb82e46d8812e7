package dev.flagsync.api.http;

import dev.flagsync.api.access.AccessToken;
import dev.flagsync.api.access.TokenType;
import dev.flagsync.api.access.View;
import dev.flagsync.api.ofrep.ErrorCode;
import dev.flagsync.api.ofrep.OfrepResponse;
import dev.flagsync.api.ofrep.OfrepService;
import dev.flagsync.api.ofrep.RefetchNotices;
import dev.flagsync.api.read.FlagReader;
import dev.flagsync.api.read.NoSourceAvailableException;
import dev.flagsync.api.read.Read;
import dev.flagsync.api.read.Source;
import dev.flagsync.shared.flag.FlagNames;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.OptionalLong;

/**
 * OFREP 0.3.0 over HTTP: picks the environment, reads its snapshot and copies what
 * {@link OfrepService} decides onto the response. Every answer uses OFREP's own shapes.
 *
 * <p>A context without {@code remoteAddress} gets the client's address when the caller uses a
 * {@code frontend} token, as Unleash's frontend API does: such a caller is a browser, so the
 * address is the user's. For other callers it is left unset, since a server-side OFREP provider
 * calls from its own host, whose address says nothing about the user it evaluates for.
 *
 * <p>Bulk answers point at the environment's event stream ({@link OfrepEventsResource}). A refetch
 * it triggered names the version it announced ({@code flagConfigEtag}); an instance that has not
 * heard of that version yet (another instance sent the notice) reads past its memory copy.
 */
public final class OfrepResource implements Resource {

    static final String ENVIRONMENT_HEADER = "X-Flag-Environment";

    private final FlagReader reader;
    private final Access access;
    private final OfrepService service;
    private final String defaultEnvironment;
    private final OfrepEventsResource events;

    /** @param events where bulk answers' eventStreams point; null for none */
    public OfrepResource(FlagReader reader, Access access, OfrepService service, String defaultEnvironment,
                         OfrepEventsResource events) {
        this.reader = reader;
        this.access = access;
        this.service = service;
        this.defaultEnvironment = defaultEnvironment;
        this.events = events;
    }

    public OfrepResource(FlagReader reader, Access access, OfrepService service, String defaultEnvironment) {
        this(reader, access, service, defaultEnvironment, null);
    }

    /** What an endpoint does once the environment is read and the caller admitted. */
    private interface Evaluation {
        OfrepResponse apply(Read read, AccessToken token, String clientAddress);
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/ofrep/v1/evaluate/flags/{key}", this::one);
        routes.post("/ofrep/v1/evaluate/flags", this::bulk);
    }

    private void one(Context ctx) {
        String key = ctx.pathParam("key");
        answer(ctx, key, (read, token, address) -> service.evaluate(read.snapshot().snapshot(), key, ctx.bodyAsBytes(), address));
    }

    private void bulk(Context ctx) {
        answer(ctx, null, (read, token, address) -> service.evaluateAll(read.snapshot().snapshot(), ctx.bodyAsBytes(),
                ctx.header("If-None-Match"), address,
                events == null ? null : events.eventStreams(token, read.snapshot().environment())));
    }

    /** {@code key} is null for the bulk endpoint, whose failures carry no key. */
    private void answer(Context ctx, String key, Evaluation evaluation) {
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
            read = read(environment, announcedVersion(ctx));
        } catch (NoSourceAvailableException e) {
            write(ctx, OfrepResponse.generalError(key, "no source can answer for environment " + environment));
            return;
        }
        ctx.header(FlagsResource.SOURCE_HEADER, read.source().header());
        write(ctx, evaluation.apply(read, token, address));
    }

    /** The version an event stream announced, when this request is the refetch it triggered (ADR-0008). */
    private static OptionalLong announcedVersion(Context ctx) {
        String etag = ctx.queryParam("flagConfigEtag"); // what ofrep-web-provider 0.4 sends
        return RefetchNotices.versionOf(etag != null ? etag : ctx.queryParam("sseEtag")); // the ADR's name
    }

    private Read read(String environment, OptionalLong announced) {
        Read read = reader.read(environment);
        // Only a memory copy can be behind Redis (the worker fills Redis before it announces), so
        // a client naming a version that does not exist costs one Redis read, no more.
        if (announced.isPresent() && read.snapshot().version() < announced.getAsLong() && read.source() == Source.MEMORY) {
            reader.invalidate(environment); // the notice came through another instance first
            read = reader.read(environment);
        }
        return read;
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
