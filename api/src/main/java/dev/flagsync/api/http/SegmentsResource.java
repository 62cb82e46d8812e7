package dev.flagsync.api.http;

import dev.flagsync.api.admin.RuleWrites;
import dev.flagsync.shared.db.FlagStore;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.FlagNames;
import dev.flagsync.shared.flag.StoredSegment;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/**
 * Admin endpoints for an environment's segments (contract section 6): list, read, create or
 * replace (checked strictly by {@link RuleWrites}), delete (refused while a flag still uses the
 * segment, naming the flags). Reads come from PostgreSQL, writes go there and reach every reader
 * through change capture, as any write does.
 */
public final class SegmentsResource implements Resource {

    private final FlagStore store;
    private final Access access;
    private final AdminResource admin;
    private final RuleWrites writes = new RuleWrites();

    public SegmentsResource(FlagStore store, Access access, AdminResource admin) {
        this.store = store;
        this.access = access;
        this.admin = admin;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/environments/{env}/segments", this::list);
        routes.head("/api/v1/environments/{env}/segments", this::list);
        routes.get("/api/v1/environments/{env}/segments/{id}", this::one);
        routes.head("/api/v1/environments/{env}/segments/{id}", this::one);
        routes.put("/api/v1/environments/{env}/segments/{id}", this::put);
        routes.delete("/api/v1/environments/{env}/segments/{id}", this::delete);
    }

    private void list(Context ctx) {
        String env = FlagNames.requireEnvironment(ctx.pathParam("env"));
        access.requireAdmin(ctx, env);
        ctx.header("Cache-Control", "no-cache").contentType("application/json")
                .result(FlagJson.write(Map.of("segments", store.segments(env))));
    }

    private void one(Context ctx) {
        String env = FlagNames.requireEnvironment(ctx.pathParam("env"));
        access.requireAdmin(ctx, env);
        int id = id(ctx);
        StoredSegment segment = store.segment(env, id).orElseThrow(() -> ApiError.notFound("segment " + id));
        ctx.header("Cache-Control", "no-cache").contentType("application/json").result(FlagJson.write(segment));
    }

    private void put(Context ctx) {
        String env = FlagNames.requireEnvironment(ctx.pathParam("env"));
        FlagStore writer = admin.writerFor(ctx, env);
        StoredSegment stored = writes.putSegment(writer, env, id(ctx), AdminResource.body(ctx));
        ctx.contentType("application/json").result(FlagJson.write(stored));
    }

    private void delete(Context ctx) {
        String env = FlagNames.requireEnvironment(ctx.pathParam("env"));
        FlagStore writer = admin.writerFor(ctx, env);
        int id = id(ctx);
        if (!writes.deleteSegment(writer, env, id)) {
            throw ApiError.notFound("segment " + id);
        }
        ctx.status(204);
    }

    /** Segment ids are Unleash's: whole numbers from 1. */
    private static int id(Context ctx) {
        String raw = ctx.pathParam("id");
        try {
            int id = Integer.parseInt(raw);
            if (id >= 1) {
                return id;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ApiError(400, "bad_request", "segment id must be a whole number from 1 to " + Integer.MAX_VALUE
                + ", was \"" + (raw.length() > 40 ? raw.substring(0, 40) + "..." : raw) + "\"");
    }
}
