package dev.flagsync.api.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.api.TestDatabase;
import dev.flagsync.localstack.ChildJvm;
import dev.flagsync.localstack.Ports;
import dev.flagsync.localstack.Postgres;
import dev.flagsync.localstack.Redis;
import dev.flagsync.localstack.Servers;
import dev.flagsync.localstack.bench.Figure;
import dev.flagsync.localstack.bench.Histograms;
import dev.flagsync.localstack.bench.ProcessStats;
import dev.flagsync.localstack.bench.ShippedJvm;
import dev.flagsync.shared.cache.RedisSnapshotCache;
import dev.flagsync.shared.db.JooqFlagStore;
import dev.flagsync.shared.flag.EncodedSnapshot;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.propagation.Stage;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
import redis.clients.jedis.RedisClient;

/**
 * Streaming and OFREP figures (run with bin/bench-stream): embedded PostgreSQL and Redis, the
 * API as it ships in its own JVM, then OFREP bulk against the plain read (20 plain flags, and 50
 * targeted ones of Unleash's model with a new targetingKey per request), the API's memory with
 * 1,000 streams and per stream at {@code clients}, and one change pushed to {@code clients} SSE
 * clients ({@link ManyStreams}, one thread; measured on its own first against
 * {@link FakeStreamServer}, so the figure's client share is known).
 */
public final class StreamBenchmark {

    private static final String ENV = "bench-stream";
    private static final String STREAM = "/api/v1/environments/" + ENV + "/flags/stream";
    private static final Duration CONNECT_TIMEOUT = Duration.ofMinutes(2);
    private static final String TARGETED_ENV = "bench-targeted";

    public static void main(String[] args) throws Exception {
        int clients = Integer.getInteger("clients", 10_000);
        int rssClients = Math.min(clients, Integer.getInteger("rssClients", 1000));
        int loadClients = Integer.getInteger("loadClients", 32);
        int rounds = Integer.getInteger("loadRounds", 3);
        Duration loadDuration = Duration.ofSeconds(Integer.getInteger("loadSeconds", 10));
        System.out.printf("load average at start: %s%n", dev.flagsync.api.LoadAverage.now());
        if (!Boolean.getBoolean("skipCalibration")) {
            calibrate(clients);
        }
        try (Postgres postgres = Servers.postgres(); Redis redis = Servers.redis();
             RedisClient redisClient = RedisClient.builder().fromURI(redis.url()).build()) {
            int port = Ports.free();
            Map<String, String> env = Map.of("DATABASE_URL", postgres.jdbcUrl(), "DATABASE_USER", postgres.user(),
                    "DATABASE_PASSWORD", postgres.password(), "REDIS_URL", redis.url(),
                    "SSE_MAX_CONNECTIONS", Integer.toString(clients + 100),
                    "HTTP_HOST", "127.0.0.1", "HTTP_PORT", Integer.toString(port),
                    // Every client comes from 127.0.0.1: the per-address budget would refuse most of them.
                    "RATE_LIMIT_ANONYMOUS_PER_SECOND", "0");
            try (ShippedJvm api = ShippedJvm.api(Path.of(""), env, port, Path.of("api", "target", "bench-stream-api.log"))) {
                TestDatabase database = new TestDatabase(postgres);
                database.sql(flags());
                RedisSnapshotCache cache = new RedisSnapshotCache(redisClient, Duration.ofMinutes(5));
                JooqFlagStore store = database.store();
                publish(cache, store, ENV);
                database.sql(targetedFlags());
                publish(cache, store, TARGETED_ENV);
                checkTargetedAnswers(api);
                readRun(api, loadDuration);
                if (rounds > 0) {
                    load(api, loadClients, rounds, loadDuration);
                }
                long heapBefore = api.heapUsedAfterGc();
                long rssBefore = api.rssBytes();
                histogram(api, "before");
                try (ManyStreams streams = ManyStreams.open(port, STREAM, rssClients, CONNECT_TIMEOUT)) {
                    long rssWithSome = api.rssBytes();
                    System.out.printf("API RSS with %d streams open: %,d B (%,d B before)%n", rssClients, rssWithSome, rssBefore);
                    Figure.print("API RSS with " + rssClients + " streams open", rssWithSome / 1e6, "MB", "<= 300");
                    streams.add(port, STREAM, clients - rssClients, CONNECT_TIMEOUT);
                    memoryPerConnection(api, clients, heapBefore, rssBefore);
                    fanOut(api, database, store, cache, streams, clients);
                }
            }
        }
        System.out.printf("load average at end: %s%n", dev.flagsync.api.LoadAverage.now());
    }

    /** The same client against a server that does nothing but write: what the client side costs the figure. */
    private static void calibrate(int clients) throws Exception {
        int port = Ports.free();
        try (ChildJvm server = FakeStreamServer.start(port, 1500, Path.of("api", "target", "bench-stream-fake.log"))) {
            awaitListening(port);
            try (ManyStreams streams = ManyStreams.open(port, "/", clients, CONNECT_TIMEOUT)) {
                streams.await(2);
                long started = System.nanoTime();
                long loop = FakeStreamServer.broadcast(port);
                if (!streams.allArrived(Duration.ofSeconds(30))) {
                    throw new IllegalStateException("calibration: not every client got the frame");
                }
                double[] ms = streams.latenciesMillis(started);
                System.out.printf("calibration, %d clients, a server that only writes (its own JVM): its write loop %.1f ms;"
                        + " arrivals p50 %.1f ms, p99 %.1f ms, all %.1f ms%n", clients, loop / 1e6, ManyStreams.quantile(ms, 0.5),
                        ManyStreams.quantile(ms, 0.99), ManyStreams.quantile(ms, 1.0));
                Figure.print("fan-out client on its own: p99 of " + clients + " from a write-only server",
                        ManyStreams.quantile(ms, 0.99), "ms", "");
            }
        }
    }

    private static void awaitListening(int port) throws InterruptedException {
        long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
        while (true) {
            try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                probe.getOutputStream().write("GET /probe HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the fake stream server did not listen on " + port, e);
                }
                Thread.sleep(50);
            }
        }
    }

    /** wrk against the all-flags read, as bin/bench-read runs it, then the API's resident memory. */
    private static void readRun(ShippedJvm api, Duration duration) throws Exception {
        Path script = Files.createTempFile("flagsync-wrk", ".lua");
        try {
            Files.writeString(script, ReadBenchmark.WRK_REPORT);
            String url = "http://127.0.0.1:" + api.port() + "/api/v1/environments/" + ENV + "/flags";
            ReadBenchmark.Result read = ReadBenchmark.wrk("read", url, (int) duration.toSeconds(), 50, script);
            System.out.printf("wrk -t2 -c50 -d%ds on the shipped API: %,.0f req/s, p99 %.2f ms, %d errors; RSS after it %,d B%n",
                    duration.toSeconds(), read.rps(), read.p99us() / 1000.0, read.errors(), api.rssBytes());
            Figure.print("API RSS after a wrk read run (-c50, " + duration.toSeconds() + " s)", api.rssBytes() / 1e6, "MB",
                    "<= 300");
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** OFREP bulk against the plain read, for 20 plain flags and for 50 targeted ones of Unleash's model. */
    private static void load(ShippedJvm api, int loadClients, int rounds, Duration duration) throws InterruptedException {
        System.out.printf("load: %d closed-loop clients, %d rounds of %d s per endpoint, alternating, after a 3 s warm-up of each%n",
                loadClients, rounds, duration.toSeconds());
        List<Endpoint> endpoints = List.of(
                new Endpoint("GET all flags (20 plain)", n -> read(api, ENV)),
                new Endpoint("OFREP bulk (20 plain)", n -> ofrep(api, ENV, plainContext(n))),
                new Endpoint("GET all flags (50 targeted)", n -> read(api, TARGETED_ENV)),
                new Endpoint("OFREP bulk (50 targeted)", n -> ofrep(api, TARGETED_ENV, targetedContext(n))));
        // Every endpoint warms up first and then they alternate, so none is measured on a colder JIT.
        for (Endpoint endpoint : endpoints) {
            ClosedLoad.run(loadClients, Duration.ofSeconds(3), endpoint.requests());
        }
        for (int round = 1; round <= rounds; round++) {
            double[] perSecond = new double[endpoints.size()];
            StringBuilder line = new StringBuilder("round " + round + ":");
            for (int i = 0; i < endpoints.size(); i++) {
                ClosedLoad.Result result = ClosedLoad.run(loadClients, duration, endpoints.get(i).requests());
                perSecond[i] = result.requestsPerSecond();
                line.append(String.format(" %s %,.0f req/s (%d errors);", endpoints.get(i).name(), perSecond[i], result.errors()));
            }
            System.out.println(line);
            System.out.printf("round %d: OFREP/GET plain %.2f; OFREP 50 targeted / GET 50 targeted %.2f;"
                            + " OFREP 50 targeted / GET 20 plain %.2f (load average %s)%n", round, perSecond[1] / perSecond[0],
                    perSecond[3] / perSecond[2], perSecond[3] / perSecond[0], Figure.loadAverage());
            if (round == rounds) {
                Figure.print("OFREP bulk (20 plain) / GET all flags, req/s", perSecond[1] / perSecond[0], "ratio", "");
                Figure.print("OFREP bulk (50 targeted) / GET all flags (50 targeted), req/s", perSecond[3] / perSecond[2],
                        "ratio", "");
            }
        }
    }

    private record Endpoint(String name, IntFunction<HttpRequest> requests) {
    }

    /** With -Dhistograms=true, the API's live objects before and with the streams, to see what a connection holds. */
    private static void histogram(ShippedJvm api, String when) throws Exception {
        if (Boolean.getBoolean("histograms")) {
            Path file = Path.of("api", "target", "bench-stream-histogram-" + when + ".txt");
            api.classHistogram(file);
            System.out.printf("class histogram %s the streams: %s%n", when, file);
        }
    }

    private static void memoryPerConnection(ShippedJvm api, int clients, long heapBefore, long rssBefore) throws Exception {
        long heapAfter = api.heapUsedAfterGc();
        histogram(api, "with");
        long rssAfter = api.rssBytes();
        System.out.printf("memory per connection: heap %,d B, RSS %,d B (%d connections; heap %,d -> %,d B after GC;"
                + " RSS %,d -> %,d B)%n", (heapAfter - heapBefore) / clients, (rssAfter - rssBefore) / clients, clients,
                heapBefore, heapAfter, rssBefore, rssAfter);
        Figure.print("heap per SSE connection (" + clients + " open)", (heapAfter - heapBefore) / (double) clients / 1000, "KB",
                "<= 7.6");
        Figure.print("RSS per SSE connection (" + clients + " open)", (rssAfter - rssBefore) / (double) clients / 1000, "KB",
                "<= 43");
    }

    private static void fanOut(ShippedJvm api, TestDatabase database, JooqFlagStore store, RedisSnapshotCache cache,
                               ManyStreams streams, int clients) throws InterruptedException {
        Histograms before = stages(api);
        database.sql("UPDATE feature_flags SET enabled = NOT enabled WHERE environment = '" + ENV + "' AND flag_key = 'flag-00'");
        EncodedSnapshot changed = FlagJson.encode(store.load(ENV));
        cache.putIfNewer(changed);
        streams.await(changed.version());
        long self = ProcessHandle.current().pid();
        double apiCpu = ProcessStats.cpuSeconds(api.pid());
        double clientCpu = ProcessStats.cpuSeconds(self);
        long published = System.nanoTime();
        cache.publishChange(ENV, changed.version());
        boolean all = streams.allArrived(Duration.ofSeconds(30)); // blocks without spinning, so the API keeps both CPUs
        double[] ms = streams.latenciesMillis(published);
        apiCpu = ProcessStats.cpuSeconds(api.pid()) - apiCpu;
        clientCpu = ProcessStats.cpuSeconds(self) - clientCpu;
        System.out.printf("CPU during the fan-out (10 ms ticks): the API %.0f ms (%.1f us per stream), the clients' JVM %.0f ms%n",
                apiCpu * 1000, apiCpu * 1e6 / clients, clientCpu * 1000);
        Histograms server = stages(api).since(before);
        double written = server.quantileMillis(Stage.NOTICE_TO_FRAMES_WRITTEN.label(), 1.0);
        System.out.printf("change to %d clients (%d got it%s): p50 %.1f ms, p99 %.1f ms, all %.1f ms; the API wrote the"
                        + " last frame %.1f ms after the notice reached it (server side, within a bucket)%n", clients, ms.length,
                all ? "" : ", the rest timed out", ManyStreams.quantile(ms, 0.5), ManyStreams.quantile(ms, 0.99),
                ManyStreams.quantile(ms, 1.0), written);
        Figure.print("fan-out: one change to " + clients + " SSE clients, p50", ManyStreams.quantile(ms, 0.5), "ms", "");
        Figure.print("fan-out: one change to " + clients + " SSE clients, p99", all ? ManyStreams.quantile(ms, 0.99)
                : Double.POSITIVE_INFINITY, "ms", "<= 200");
        Figure.print("fan-out: server side, notice to the last frame written", written, "ms", "");
        Figure.print("fan-out: API CPU per stream for one change (/proc ticks)", apiCpu * 1e6 / clients, "us", "");
        Figure.print("fan-out: the clients' CPU for one change (/proc ticks)", clientCpu * 1000, "ms", "");
    }

    private static Histograms stages(ShippedJvm api) {
        return Histograms.parse(api.metrics(), "flagsync_propagation_stage_seconds", Stage.TAG);
    }

    private static HttpRequest read(ShippedJvm api, String env) {
        return ClosedLoad.request(api.port(), "/api/v1/environments/" + env + "/flags").GET().build();
    }

    private static HttpRequest ofrep(ShippedJvm api, String env, String context) {
        return ClosedLoad.request(api.port(), "/ofrep/v1/evaluate/flags")
                .header("Content-Type", "application/json").header("X-Flag-Environment", env)
                .POST(HttpRequest.BodyPublishers.ofString("{\"context\":" + context + "}")).build();
    }

    /** Fails unless targeted bulk answers hold all 50 flags and no error: a benchmark of error answers would measure nothing. */
    private static void checkTargetedAnswers(ShippedJvm api) throws Exception {
        Set<String> outcomes = new TreeSet<>();
        for (int n = 0; n < 12; n++) {
            HttpResponse<byte[]> response = HttpClient.newHttpClient()
                    .send(ofrep(api, TARGETED_ENV, targetedContext(n)), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode flags = FlagJson.readTree(response.body()).path("flags");
            if (response.statusCode() != 200 || flags.size() != 50) {
                throw new IllegalStateException("targeted bulk answer " + response.statusCode() + ": " + new String(response.body()));
            }
            for (JsonNode flag : flags) {
                if (flag.has("errorCode")) {
                    throw new IllegalStateException("targeted flag answered an error: " + flag);
                }
                outcomes.add(flag.path("reason").asText() + "/" + flag.path("variant").asText(""));
            }
        }
        System.out.println("targeted answers seen (reason/variant): " + outcomes);
    }

    private static String plainContext(int n) {
        return "{\"targetingKey\":\"user-" + n + "\"}";
    }

    /** A new targetingKey per request, and attributes that send requests down different strategies. */
    private static String targetedContext(int n) {
        String[] countries = {"NO", "SE", "DE", "US"};
        String[] plans = {"free", "pro", "enterprise"};
        return "{\"targetingKey\":\"user-%d\",\"country\":\"%s\",\"plan\":\"%s\",\"appVersion\":\"2.%d.0\",\"email\":\"u%d@%s\",\"age\":\"%d\"}"
                .formatted(n, countries[n % 4], plans[n % 3], n % 5, n, n % 2 == 0 ? "example.com" : "mail.test", 14 + n % 20);
    }

    /**
     * 50 flags of Unleash's model, each as the evaluator benchmark's targeted flag: three strategies
     * of three constraints each (nine operators with the segment's, a segment in the second), then three weighted
     * variants with payloads, every tenth flag disabled.
     */
    private static String targetedFlags() {
        StringBuilder sql = new StringBuilder("INSERT INTO flag_segments (environment, segment_id, name, constraints) VALUES ('")
                .append(TARGETED_ENV).append("', 1, 'adults', '[{\"contextName\":\"age\",\"operator\":\"NUM_GTE\",\"value\":\"18\"}]');")
                .append("INSERT INTO feature_flags (environment, flag_key, enabled, strategies, variants) VALUES ");
        for (int i = 0; i < 50; i++) {
            String key = "targeted-%02d".formatted(i);
            String strategies = """
                    [{"name":"flexibleRollout","parameters":{"rollout":"%d","stickiness":"userId","groupId":"%s"},
                      "constraints":[{"contextName":"country","operator":"IN","values":["NO","SE","DK","FI"]},
                                     {"contextName":"appVersion","operator":"SEMVER_GTE","value":"2.%d.0"},
                                     {"contextName":"email","operator":"STR_ENDS_WITH","values":["@example.com"],"caseInsensitive":true}]},
                     {"name":"default","parameters":{},"segments":[1],
                      "constraints":[{"contextName":"plan","operator":"IN","values":["pro","enterprise"]},
                                     {"contextName":"currentTime","operator":"DATE_AFTER","value":"2025-01-01T00:00:00Z"},
                                     {"contextName":"remoteAddress","operator":"IN_CIDR","values":["10.0.0.0/8","2001:db8::/32"]}]},
                     {"name":"flexibleRollout","parameters":{"rollout":"50","stickiness":"default","groupId":"%s"},
                      "constraints":[{"contextName":"plan","operator":"NOT_IN","values":["free"]},
                                     {"contextName":"userId","operator":"STR_STARTS_WITH","values":["user-"]},
                                     {"contextName":"age","operator":"NUM_LT","value":"%d"}]}]"""
                    .formatted(10 + i, key, i % 4, key, 20 + i % 10);
            String variants = """
                    [{"name":"control","weight":500,"stickiness":"default","payload":{"type":"string","value":"old"}},
                     {"name":"compact","weight":250,"stickiness":"default","payload":{"type":"json","value":"{\\"rows\\":2}"}},
                     {"name":"wide","weight":250,"stickiness":"default","payload":{"type":"number","value":"%d"}}]""".formatted(i);
            sql.append(i == 0 ? "" : ",").append("('%s', '%s', %s, '%s', '%s')".formatted(TARGETED_ENV, key, i % 10 != 9,
                    strategies.replace("\n", " "), variants.replace("\n", " ")));
        }
        return sql.toString();
    }

    /** 20 flags: static, disabled and split ones, as a realistic small frontend set. */
    private static String flags() {
        StringBuilder sql = new StringBuilder("INSERT INTO feature_flags (environment, flag_key, enabled, rollout_percentage) VALUES ");
        for (int i = 0; i < 20; i++) {
            sql.append(i == 0 ? "" : ",").append("('").append(ENV).append("', 'flag-%02d', %s, %d)"
                    .formatted(i, i % 5 != 0, i % 3 == 0 ? 100 : 10 + 4 * i));
        }
        return sql.toString();
    }

    private static void publish(RedisSnapshotCache cache, JooqFlagStore store, String env) {
        EncodedSnapshot snapshot = FlagJson.encode(store.load(env));
        cache.putIfNewer(snapshot);
        cache.publishChange(env, snapshot.version());
    }
}
