package dev.flagsync.api.http;

import dev.flagsync.api.access.AccessToken;
import dev.flagsync.shared.db.Actor;
import dev.flagsync.shared.db.FlagStore;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.FlagNames;
import dev.flagsync.shared.flag.FlagUpdate;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * Admin writes. They go to PostgreSQL only: change capture carries them to Redis and to
 * every API instance, exactly like a write made with psql. Each write names the admin token to
 * the audit log, in the writing transaction.
 */
public final class AdminResource implements Resource {

    static final int MAX_BODY_BYTES = 64 * 1024;

    private final FlagStore store;
    private final Access access;

    public AdminResource(FlagStore store, Access access) {
        this.store = store;
        this.access = access;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.put("/api/v1/environments/{env}/flags/{key}", this::put);
        routes.delete("/api/v1/environments/{env}/flags/{key}", this::delete);
    }

    private void put(Context ctx) {
        String env = FlagNames.requireEnvironment(ctx.pathParam("env"));
        FlagStore writer = writerFor(ctx, env);
        String key = FlagNames.requireKey(ctx.pathParam("key"));
        FlagUpdate update = FlagJson.readUpdate(body(ctx));
        Flag stored = writer.upsert(env, key, update);
        ctx.contentType("application/json").result(FlagJson.write(stored));
    }

    private void delete(Context ctx) {
        String env = FlagNames.requireEnvironment(ctx.pathParam("env"));
        FlagStore writer = writerFor(ctx, env);
        String key = FlagNames.requireKey(ctx.pathParam("key"));
        if (!writer.delete(env, key)) {
            throw ApiError.notFound("flag " + key);
        }
        ctx.status(204);
    }

    /** The store, acting as the caller's admin token (401/403 unless it covers the environment). */
    private FlagStore writerFor(Context ctx, String environment) {
        AccessToken token = access.requireAdmin(ctx, environment);
        return store.actingAs(new Actor(token.name(), token.id()));
    }

    /** Rejects an oversized body from its declared length before reading it, and again after. */
    static byte[] body(Context ctx) {
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
