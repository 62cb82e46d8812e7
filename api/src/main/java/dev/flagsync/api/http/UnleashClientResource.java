package dev.flagsync.api.http;

import dev.flagsync.api.access.View;
import dev.flagsync.api.read.FlagReader;
import dev.flagsync.api.read.Read;
import dev.flagsync.api.unleash.ClientFeaturesService;
import dev.flagsync.api.unleash.ClientSpec;
import dev.flagsync.api.unleash.FeatureQuery;
import dev.flagsync.api.unleash.SdkMetrics;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.FlagNames;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * Unleash's client API for server SDKs (Node, Java, Go, Python...), contract section 8: the
 * environment's flags as {@code /api/client/features}, one flag, and the register and metrics
 * posts every SDK makes. The environment is the token's (its only one), else the
 * {@code X-Flag-Environment} header, else DEFAULT_ENVIRONMENT.
 *
 * <p>Statuses are chosen for what the Node SDK does with them: 401/403 stop its polling or
 * metrics for good, so they mean a wrong token and nothing else; a store or token table that
 * cannot answer is 503 (it backs off and retries); register and metrics answer 202, since 405 or
 * 501 would silently end its metrics.
 */
public final class UnleashClientResource implements Resource {

    /** Largest register or metrics body read; a metrics bucket of thousands of flags fits. */
    static final int MAX_REPORT_BYTES = 1024 * 1024;

    private final FlagReader reader;
    private final Access access;
    private final ClientFeaturesService features;
    private final SdkMetrics metrics;
    private final String defaultEnvironment;

    public UnleashClientResource(FlagReader reader, Access access, ClientFeaturesService features, SdkMetrics metrics,
                                 String defaultEnvironment) {
        this.reader = reader;
        this.access = access;
        this.features = features;
        this.metrics = metrics;
        this.defaultEnvironment = defaultEnvironment;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/client/features", this::all);
        routes.head("/api/client/features", this::all);
        routes.get("/api/client/features/{name}", this::one);
        routes.head("/api/client/features/{name}", this::one);
        routes.post("/api/client/register", this::registered);
        routes.post("/api/client/metrics", this::reported);
    }

    private void all(Context ctx) {
        boolean readsSegments = ClientSpec.readsSegments(ctx.header(ClientSpec.HEADER));
        FeatureQuery query = new FeatureQuery(ctx.queryParam("namePrefix"), ctx.queryParams("project"),
                ctx.queryParams("tag"));
        Read read = read(ctx);
        answer(ctx, features.features(read.snapshot().snapshot(), query, !readsSegments));
    }

    private void one(Context ctx) {
        String name = FlagNames.requireKey(ctx.pathParam("name"));
        boolean readsSegments = ClientSpec.readsSegments(ctx.header(ClientSpec.HEADER));
        Read read = read(ctx);
        answer(ctx, features.feature(read.snapshot().snapshot(), name, !readsSegments)
                .orElseThrow(() -> ApiError.notFound("flag " + name)));
    }

    private void registered(Context ctx) {
        String environment = environment(ctx);
        metrics.registered(environment, FlagJson.readTree(report(ctx)));
        ctx.status(202);
    }

    private void reported(Context ctx) {
        Read read = read(ctx);
        metrics.reported(read.snapshot().snapshot(), FlagJson.readTree(report(ctx)));
        ctx.status(202);
    }

    /** The caller's environment, checked against its token (401/403/503 as the class comment says). */
    private String environment(Context ctx) {
        String environment = FlagNames.requireEnvironment(
                access.evaluationEnvironment(ctx, ctx.header(OfrepResource.ENVIRONMENT_HEADER), defaultEnvironment));
        access.requireSdkRead(ctx, environment, View.RAW);
        return environment;
    }

    private Read read(Context ctx) {
        Read read = reader.read(environment(ctx));
        ctx.header(FlagsResource.SOURCE_HEADER, read.source().header());
        return read;
    }

    private static void answer(Context ctx, ClientFeaturesService.Answer answer) {
        ctx.header("ETag", answer.etag());
        ctx.header("Cache-Control", "no-cache");
        if (ETags.matches(ctx.header("If-None-Match"), answer.etag())) {
            ctx.status(304);
            return;
        }
        ctx.contentType("application/json").result(answer.body().get());
    }

    private static byte[] report(Context ctx) {
        return Bodies.read(ctx, MAX_REPORT_BYTES);
    }
}
