package dev.flagsync.api.http;

import io.javalin.config.JavalinConfig;
import java.util.List;

/**
 * CORS for browser frontends on other origins (CORS_ALLOWED_ORIGINS): reads, streams and OFREP.
 * Javalin's plugin answers preflights by echoing the requested headers, which covers
 * Authorization, Content-Type, If-None-Match, X-Flag-Environment and Last-Event-ID; the
 * response headers a frontend needs to see are exposed explicitly.
 */
final class Cors {

    static final List<String> EXPOSED = List.of("ETag", FlagsResource.SOURCE_HEADER, "Retry-After");

    private Cors() {
    }

    static void configure(JavalinConfig javalin, List<String> allowedOrigins) {
        if (allowedOrigins.isEmpty()) {
            return;
        }
        javalin.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
            if (allowedOrigins.equals(List.of("*"))) {
                rule.anyHost();
            } else {
                rule.allowHost(allowedOrigins.getFirst(), allowedOrigins.subList(1, allowedOrigins.size()).toArray(String[]::new));
            }
            EXPOSED.forEach(rule::exposeHeader);
            rule.maxAge = 600;
        }));
    }
}
