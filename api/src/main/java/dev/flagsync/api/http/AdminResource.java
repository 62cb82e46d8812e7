package dev.flagsync.api.http;

import dev.flagsync.shared.db.FlagStore;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.FlagNames;
import dev.flagsync.shared.flag.FlagUpdate;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * Admin writes. They go to PostgreSQL only: change capture carries them to Redis and to
 * every API instance, exactly like a write made with psql.
 */
public final class AdminResource implements Resource {

    static final int MAX_BODY_BYTES = 64 * 1024;

    private final FlagStore store;
    private final Tokens adminTokens;

    public AdminResource(FlagStore store, Tokens adminTokens) {
        this.store = store;
        this.adminTokens = adminTokens;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.put("/api/v1/environments/{env}/flags/{key}", this::put);
        routes.delete("/api/v1/environments/{env}/flags/{key}", this::delete);
    }

    private void put(Context ctx) {
        authorize(ctx);
        String env = FlagNames.requireEnvironment(ctx.pathParam("env"));
        String key = FlagNames.requireKey(ctx.pathParam("key"));
        FlagUpdate update = FlagJson.readUpdate(body(ctx));
        Flag stored = store.upsert(env, key, update);
        ctx.contentType("application/json").result(FlagJson.write(stored));
    }

    private void delete(Context ctx) {
        authorize(ctx);
        String env = FlagNames.requireEnvironment(ctx.pathParam("env"));
        String key = FlagNames.requireKey(ctx.pathParam("key"));
        if (!store.delete(env, key)) {
            throw ApiError.notFound("flag " + key);
        }
        ctx.status(204);
    }

    private void authorize(Context ctx) {
        if (!adminTokens.accepts(ctx.header("Authorization"))) {
            throw ApiError.unauthorized();
        }
    }

    /** Rejects an oversized body from its declared length before reading it, and again after. */
    private static byte[] body(Context ctx) {
        if (ctx.contentLength() > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        byte[] body = ctx.bodyAsBytes();
        if (body.length > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        return body;
    }

    private static ApiError tooLarge() {
        return new ApiError(413, "payload_too_large", "body must be at most " + MAX_BODY_BYTES + " bytes");
    }
}
