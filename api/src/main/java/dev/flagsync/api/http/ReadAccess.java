package dev.flagsync.api.http;

import io.javalin.http.Context;

/**
 * Who may read: everyone while READ_TOKENS is empty, else a read or an admin token. Shared by
 * every read-like endpoint (flags, stream, OFREP) so they cannot drift apart.
 */
public final class ReadAccess {

    private final Tokens readTokens;
    private final Tokens adminTokens;

    public ReadAccess(Tokens readTokens, Tokens adminTokens) {
        this.readTokens = readTokens;
        this.adminTokens = adminTokens;
    }

    boolean allows(Context ctx) {
        if (readTokens.isEmpty()) {
            return true;
        }
        String authorization = ctx.header("Authorization");
        return readTokens.accepts(authorization) || adminTokens.accepts(authorization);
    }

    /** Throws the contract's 401 when the request may not read. */
    void require(Context ctx) {
        if (!allows(ctx)) {
            throw ApiError.unauthorized();
        }
    }
}
