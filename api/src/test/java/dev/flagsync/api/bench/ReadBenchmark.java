package dev.flagsync.api.bench;

import dev.flagsync.api.ApiFixture;
import dev.flagsync.api.Api;
import dev.flagsync.api.ApiConfig;
import dev.flagsync.localstack.bench.Figure;
import dev.flagsync.shared.config.Env;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * The read benchmark (bin/bench-read): wrk against the all-flags endpoint (50 flags) from the
 * memory tier and from the Redis tier, each compared with a baseline endpoint that answers the
 * same bytes from a static array on the same server, in the same run. Prints one table.
 */
public final class ReadBenchmark {

    private static final String ENV = "bench";
    static final String WRK_REPORT = """
            done = function(summary, latency, requests)
              local errors = summary.errors.connect + summary.errors.read + summary.errors.write
                  + summary.errors.status + summary.errors.timeout
              io.write(string.format("RESULT %d %.1f %d %d %d %d %d\\n", summary.requests,
                  summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(95),
                  latency:percentile(99), latency.max, errors))
            end
            """;

    record Result(String name, long requests, double rps, long p50us, long p95us, long p99us, long maxUs, long errors) {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        Path script = Files.createTempFile("flagsync-wrk", ".lua");
        Files.writeString(script, WRK_REPORT);
        try (ApiFixture memoryTier = new ApiFixture(Map.of("MEMORY_CACHE_TTL_MS", "3600000", "BENCHMARK_ENDPOINTS", "true",
                // One load generator on one address: the per-address budget would turn the run into 429s.
                "RATE_LIMIT_ANONYMOUS_PER_SECOND", "0"))) {
            seed(memoryTier);
            // A second API on the same PostgreSQL and Redis, with no memory tier: every read is a Redis GET.
            try (Api redisTier = Api.start(ApiConfig.from(new Env(sameStores(memoryTier))))) {
                String memoryUrl = "http://127.0.0.1:" + memoryTier.api.port();
                String redisUrl = "http://127.0.0.1:" + redisTier.port();
                String flags = "/api/v1/environments/" + ENV + "/flags";
                String baseline = "/bench/baseline/" + ENV;
                for (String url : List.of(memoryUrl + flags, redisUrl + flags, memoryUrl + baseline, redisUrl + baseline)) {
                    warm(url, script);
                }
                List<Result> results = new ArrayList<>();
                results.add(wrk("baseline (memory server)", memoryUrl + baseline, seconds, connections, script));
                results.add(wrk("flags from memory", memoryUrl + flags, seconds, connections, script));
                results.add(wrk("baseline (redis server)", redisUrl + baseline, seconds, connections, script));
                results.add(wrk("flags from redis", redisUrl + flags, seconds, connections, script));
                print(results, seconds, connections, memoryTier);
            }
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static void seed(ApiFixture fixture) {
        StringJoiner values = new StringJoiner(", ");
        for (int i = 0; i < 50; i++) {
            values.add(String.format(Locale.ROOT, "('%s', 'flag-%02d', %b, %d, 'benchmark flag number %d')",
                    ENV, i, i % 2 == 0, (i * 7) % 101, i));
        }
        fixture.sql("INSERT INTO feature_flags (environment, flag_key, enabled, rollout_percentage, description) VALUES " + values);
    }

    private static Map<String, String> sameStores(ApiFixture fixture) {
        Map<String, String> env = new HashMap<>(fixture.env);
        env.put("MEMORY_CACHE_TTL_MS", "0");
        return env;
    }

    private static void warm(String url, Path script) throws IOException, InterruptedException {
        run(List.of("wrk", "-t1", "-c4", "-d2s", "-s", script.toString(), url));
    }

    static Result wrk(String name, String url, int seconds, int connections, Path script)
            throws IOException, InterruptedException {
        String output = run(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--timeout", "5s",
                "-s", script.toString(), url));
        String line = output.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("wrk printed no result:\n" + output));
        String[] f = line.split(" ");
        long non2xx = output.lines().filter(l -> l.contains("Non-2xx")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).sum();
        return new Result(name, Long.parseLong(f[1]), Double.parseDouble(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]) + non2xx);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }

    private static void print(List<Result> results, int seconds, int connections, ApiFixture fixture) {
        int bytes = fixture.get("/api/v1/environments/" + ENV + "/flags").body().getBytes(StandardCharsets.UTF_8).length;
        System.out.printf(Locale.ROOT, "%nflagsync read benchmark: wrk -t2 -c%d -d%ds, body %d bytes (50 flags), %d cores%n",
                connections, seconds, bytes, Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "| %-24s | %10s | %8s | %8s | %8s | %8s | %6s | %s |%n",
                "endpoint", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors", "vs baseline");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            Result base = results.get(i - i % 2);
            System.out.printf(Locale.ROOT, "| %-24s | %10.0f | %8.2f | %8.2f | %8.2f | %8.2f | %6d | %.2fx |%n",
                    r.name(), r.rps(), r.p50us() / 1000.0, r.p95us() / 1000.0, r.p99us() / 1000.0, r.maxUs() / 1000.0,
                    r.errors(), r.rps() / base.rps());
            if (i % 2 == 1) {
                // The targets of the read path's issue hold for the memory tier; the Redis tier is for comparison.
                boolean memory = i == 1;
                Figure.print("read: " + r.name() + " / static-bytes baseline, req/s (wrk -c" + connections + ")",
                        r.rps() / base.rps(), "ratio", memory ? ">= 0.8" : "");
                Figure.print("read: " + r.name() + ", p99 (wrk -c" + connections + ")", r.p99us() / 1000.0, "ms",
                        memory ? "<= 5" : "");
                if (memory) {
                    // What the same HTTP server answers with when it only sends fixed bytes: the p99's floor.
                    Figure.print("read: static-bytes baseline, p99 (wrk -c" + connections + ", same run)",
                            base.p99us() / 1000.0, "ms", "");
                }
            }
        }
    }
}
