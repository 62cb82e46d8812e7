package dev.flagsync.api.http;

import dev.flagsync.api.read.FlagReader;
import io.javalin.config.RoutesConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * For the read benchmark only (BENCHMARK_ENDPOINTS=true): a baseline that answers the same
 * bytes as the flags endpoint from a static array, captured on first call, so the benchmark
 * can compare the read path with Javalin and Jetty alone, on the same server, in the same run.
 */
public final class BenchmarkResource implements Resource {

    private final FlagReader reader;
    private final Map<String, byte[]> baselines = new ConcurrentHashMap<>();

    public BenchmarkResource(FlagReader reader) {
        this.reader = reader;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/bench/baseline/{env}", ctx -> {
            byte[] body = baselines.computeIfAbsent(ctx.pathParam("env"), env -> reader.read(env).snapshot().json());
            ctx.contentType("application/json")
                    .header(FlagsResource.SOURCE_HEADER, "baseline")
                    .header("ETag", "\"0\"")
                    .header("Cache-Control", "no-cache")
                    .result(body);
        });
    }
}
