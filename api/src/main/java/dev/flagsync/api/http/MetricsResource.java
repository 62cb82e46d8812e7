package dev.flagsync.api.http;

import io.javalin.config.RoutesConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** {@code GET /metrics} in Prometheus's text format. */
public final class MetricsResource implements Resource {

    private final PrometheusMeterRegistry metrics;

    public MetricsResource(PrometheusMeterRegistry metrics) {
        this.metrics = metrics;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    }
}
