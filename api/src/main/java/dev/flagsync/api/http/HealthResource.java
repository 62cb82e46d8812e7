package dev.flagsync.api.http;

import dev.flagsync.api.health.Health;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** {@code /health/live} and {@code /health/ready}; {@link Health} decides what they say. */
public final class HealthResource implements Resource {

    private final Health health;

    public HealthResource(Health health) {
        this.health = health;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/health/live", ctx -> write(ctx, health.live()));
        routes.get("/health/ready", ctx -> write(ctx, health.ready()));
    }

    private static void write(Context ctx, Health.Report report) {
        ctx.header("Cache-Control", "no-store").status(report.status()).json(report.body());
    }
}
