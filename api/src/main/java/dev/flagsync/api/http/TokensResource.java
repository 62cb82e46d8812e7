package dev.flagsync.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.api.access.AccessToken;
import dev.flagsync.api.access.NewToken;
import dev.flagsync.api.access.TokenInfo;
import dev.flagsync.api.access.TokenStore;
import dev.flagsync.api.access.TokenType;
import dev.flagsync.shared.db.Actor;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.InvalidFlagException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Token management (contract section 7), for admin tokens that cover every environment. A new
 * token's secret is in the 201 answer and nowhere else; lists never show secrets or hashes.
 */
public final class TokensResource implements Resource {

    private static final Set<String> FIELDS = Set.of("name", "type", "environments", "expiresAt");

    private final TokenStore tokens;
    private final Access access;

    public TokensResource(TokenStore tokens, Access access) {
        this.tokens = tokens;
        this.access = access;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/api/v1/tokens", this::create);
        routes.get("/api/v1/tokens", this::list);
        routes.head("/api/v1/tokens", this::list);
        routes.delete("/api/v1/tokens/{id}", this::revoke);
    }

    private void create(Context ctx) {
        Actor actor = actor(access.requireAdmin(ctx, null));
        NewToken request = parse(FlagJson.readTree(AdminResource.body(ctx)));
        TokenStore.Created created = tokens.create(request, actor);
        Map<String, Object> body = json(created.token());
        body.put("secret", created.secret());
        ctx.status(201).header("Cache-Control", "no-store").json(body);
    }

    private void list(Context ctx) {
        access.requireAdmin(ctx, null);
        List<Map<String, Object>> all = new ArrayList<>();
        tokens.list().forEach(token -> all.add(json(token)));
        ctx.header("Cache-Control", "no-store").json(Map.of("tokens", all));
    }

    private void revoke(Context ctx) {
        Actor actor = actor(access.requireAdmin(ctx, null));
        String id = ctx.pathParam("id");
        if (tokens.revoke(id, actor).isEmpty()) {
            throw ApiError.notFound("token " + id.substring(0, Math.min(id.length(), 64)));
        }
        ctx.status(204);
    }

    private static Actor actor(AccessToken token) {
        return new Actor(token.name(), token.id());
    }

    private static NewToken parse(JsonNode body) {
        if (!body.isObject()) {
            throw new InvalidFlagException("body must be a JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidFlagException("unknown field \"" + name + "\"; allowed: name, type, environments, expiresAt");
            }
        }
        JsonNode name = body.get("name");
        JsonNode type = body.get("type");
        JsonNode environments = body.get("environments");
        if (name == null || !name.isTextual()) {
            throw new InvalidFlagException("name must be a string");
        }
        TokenType tokenType = type != null && type.isTextual() ? TokenType.parse(type.textValue()).orElse(null) : null;
        if (environments == null || !environments.isArray()) {
            throw new InvalidFlagException("environments must be a list of environment names, or [\"*\"]");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode environment : environments) {
            if (!environment.isTextual()) {
                throw new InvalidFlagException("environments must be a list of strings");
            }
            names.add(environment.textValue());
        }
        return new NewToken(name.textValue(), tokenType, names, expiresAt(body.get("expiresAt")));
    }

    private static Instant expiresAt(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            Instant at = value.isTextual() ? Instant.parse(value.textValue()) : null;
            if (at != null && at.isAfter(Instant.now())) {
                return at;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new InvalidFlagException("expiresAt must be a future instant such as 2030-01-01T00:00:00Z, or null");
    }

    private static Map<String, Object> json(TokenInfo token) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", token.id());
        body.put("name", token.name());
        body.put("type", token.type().wire());
        body.put("environments", token.environments());
        body.put("createdAt", token.createdAt());
        body.put("expiresAt", token.expiresAt());
        body.put("revokedAt", token.revokedAt());
        return body;
    }
}
