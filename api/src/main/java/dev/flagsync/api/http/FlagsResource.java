package dev.flagsync.api.http;

import dev.flagsync.api.access.View;
import dev.flagsync.api.read.FlagReader;
import dev.flagsync.api.read.Read;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.FlagNames;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** Reads of raw flags: all flags of an environment, and one flag. Open unless READ_ACCESS=token. */
public final class FlagsResource implements Resource {

    static final String SOURCE_HEADER = "X-Flag-Source";

    private final FlagReader reader;
    private final Access access;

    public FlagsResource(FlagReader reader, Access access) {
        this.reader = reader;
        this.access = access;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/environments/{env}/flags", this::all);
        routes.get("/api/v1/environments/{env}/flags/{key}", this::one);
        // Without these, Javalin answers HEAD with 200 for any GET route, before any access check.
        routes.head("/api/v1/environments/{env}/flags", this::all);
        routes.head("/api/v1/environments/{env}/flags/{key}", this::one);
    }

    private void all(Context ctx) {
        Read read = authorizedRead(ctx);
        if (notModified(ctx, read)) {
            return;
        }
        ctx.contentType("application/json").result(read.snapshot().json());
    }

    private void one(Context ctx) {
        String key = ctx.pathParam("key");
        FlagNames.requireKey(key);
        Read read = authorizedRead(ctx);
        Flag flag = read.snapshot().snapshot().flag(key).orElseThrow(() -> ApiError.notFound("flag " + key));
        if (notModified(ctx, read)) {
            return;
        }
        ctx.contentType("application/json").result(FlagJson.write(flag));
    }

    /** Checks the token, reads, and sets the headers every read answer carries. */
    Read authorizedRead(Context ctx) {
        String environment = FlagNames.requireEnvironment(ctx.pathParam("env"));
        access.requireRead(ctx, environment, View.RAW);
        Read read = reader.read(environment);
        ctx.header(SOURCE_HEADER, read.source().header());
        ctx.header("ETag", ETags.of(read.snapshot().version()));
        ctx.header("Cache-Control", "no-cache");
        return read;
    }

    private static boolean notModified(Context ctx, Read read) {
        if (ETags.matches(ctx.header("If-None-Match"), ETags.of(read.snapshot().version()))) {
            ctx.status(304);
            return true;
        }
        return false;
    }
}
