package dev.flagsync.api.http;

import dev.flagsync.api.access.AccessToken;
import dev.flagsync.api.admin.RuleWrites;
import dev.flagsync.shared.db.Actor;
import dev.flagsync.shared.db.FlagStore;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.FlagNames;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * Admin writes of flags, in the full rule model (contract section 6), checked strictly by
 * {@link RuleWrites}. They go to PostgreSQL only: change capture carries them to Redis and to
 * every API instance, exactly like a write made with psql. Each write names the admin token to
 * the audit log, in the writing transaction.
 */
public final class AdminResource implements Resource {

    static final int MAX_BODY_BYTES = 64 * 1024;

    private final FlagStore store;
    private final Access access;
    private final RuleWrites writes;

    public AdminResource(FlagStore store, Access access) {
        this.store = store;
        this.access = access;
        this.writes = new RuleWrites();
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
        Flag stored = writes.putFlag(writer, env, key, body(ctx));
        ctx.contentType("application/json").result(FlagJson.write(stored));
    }

    private void delete(Context ctx) {
        String env = FlagNames.requireEnvironment(ctx.pathParam("env"));
        FlagStore writer = writerFor(ctx, env);
        String key = FlagNames.requireKey(ctx.pathParam("key"));
        if (!writes.deleteFlag(writer, env, key)) {
            throw ApiError.notFound("flag " + key);
        }
        ctx.status(204);
    }

    /** The store, acting as the caller's admin token (401/403 unless it covers the environment). */
    FlagStore writerFor(Context ctx, String environment) {
        AccessToken token = access.requireAdmin(ctx, environment);
        return store.actingAs(new Actor(token.name(), token.id()));
    }

    /** Rejects an oversized body from its declared length before reading it, and again after. */
    static byte[] body(Context ctx) {
        if (ctx.contentLength() > MAX_BODY_BYTES) {
            throw Bodies.tooLarge(MAX_BODY_BYTES);
        }
        byte[] body = ctx.bodyAsBytes();
        if (body.length > MAX_BODY_BYTES) {
            throw Bodies.tooLarge(MAX_BODY_BYTES);
        }
        return body;
    }
}
