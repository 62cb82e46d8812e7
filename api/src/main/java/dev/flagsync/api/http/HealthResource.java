package dev.flagsync.api.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Liveness, and readiness that names each store. The API is ready while at least one store
 * answers, since either one can serve reads; it is 503 only when both are down.
 */
final class HealthResource {

    private final Map<String, BooleanSupplier> checks;

    /** @param checks store name to a short-timeout probe, e.g. "redis" to a PING */
    HealthResource(Map<String, BooleanSupplier> checks) {
        this.checks = checks;
    }

    void register(RoutesConfig routes) {
        routes.get("/health/live", ctx -> ctx.json(Map.of("status", "up")));
        routes.get("/health/ready", this::ready);
    }

    private void ready(Context ctx) {
        Map<String, String> results = new LinkedHashMap<>();
        checks.forEach((name, check) -> results.put(name, probe(check) ? "up" : "down"));
        boolean anyUp = results.containsValue("up");
        boolean allUp = !results.containsValue("down");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", allUp ? "up" : anyUp ? "degraded" : "down");
        body.put("checks", results);
        ctx.status(anyUp ? 200 : 503).json(body);
    }

    private static boolean probe(BooleanSupplier check) {
        try {
            return check.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
