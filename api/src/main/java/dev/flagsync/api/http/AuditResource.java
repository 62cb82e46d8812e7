package dev.flagsync.api.http;

import dev.flagsync.api.audit.AuditEntry;
import dev.flagsync.api.audit.AuditPage;
import dev.flagsync.api.audit.AuditQuery;
import dev.flagsync.api.audit.JooqAuditLog;
import dev.flagsync.shared.flag.FlagNames;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/environments/{env}/audit?flag=&before=&limit=} (admin): the environment's
 * recorded changes, newest first. {@code GET /api/v1/audit} (admin of every environment) also
 * shows changes that belong to no environment, such as tokens.
 */
public final class AuditResource implements Resource {

    private final JooqAuditLog log;
    private final Access access;

    public AuditResource(JooqAuditLog log, Access access) {
        this.log = log;
        this.access = access;
    }

    @Override
    public void register(RoutesConfig routes) {
        for (String path : new String[] {"/api/v1/environments/{env}/audit", "/api/v1/audit"}) {
            routes.get(path, this::audit);
            routes.head(path, this::audit); // else Javalin answers HEAD with 200 before any access check
        }
    }

    private void audit(Context ctx) {
        String environment = ctx.pathParamMap().containsKey("env") ? FlagNames.requireEnvironment(ctx.pathParam("env")) : null;
        access.requireAdmin(ctx, environment);
        answer(ctx, environment);
    }

    private void answer(Context ctx, String environment) {
        String flag = ctx.queryParam("flag");
        if (flag != null) {
            FlagNames.requireKey(flag);
        }
        String before = ctx.queryParam("before");
        Long beforeId = null;
        Instant beforeTime = null;
        if (before != null) {
            if (before.matches("[0-9]{1,18}")) {
                beforeId = Long.parseLong(before);
            } else {
                beforeTime = instant(before);
            }
        }
        AuditPage page = log.page(new AuditQuery(environment, flag, beforeId, beforeTime, limit(ctx.queryParam("limit"))));
        List<Map<String, Object>> entries = new ArrayList<>();
        page.entries().forEach(entry -> entries.add(json(entry)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", entries);
        body.put("next", page.next());
        ctx.header("Cache-Control", "no-store").json(body);
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ApiError(400, "bad_request", "before must be the next value of a previous page or an instant such as 2026-01-01T00:00:00Z");
        }
    }

    private static int limit(String value) {
        if (value == null) {
            return AuditQuery.DEFAULT_LIMIT;
        }
        if (value.matches("[0-9]{1,4}")) {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= AuditQuery.MAX_LIMIT) {
                return limit;
            }
        }
        throw new ApiError(400, "bad_request", "limit must be a whole number from 1 to " + AuditQuery.MAX_LIMIT);
    }

    private static Map<String, Object> json(AuditEntry entry) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", entry.id());
        body.put("at", entry.at());
        body.put("txId", entry.txId());
        body.put("table", entry.table());
        body.put("environment", entry.environment());
        body.put("key", entry.key());
        body.put("operation", entry.operation());
        body.put("before", entry.before());
        body.put("after", entry.after());
        body.put("actor", entry.actor());
        return body;
    }
}
