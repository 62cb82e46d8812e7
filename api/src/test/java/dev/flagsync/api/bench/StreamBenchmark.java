package dev.flagsync.api.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.api.SseClient;
import dev.flagsync.api.TestDatabase;
import dev.flagsync.localstack.Postgres;
import dev.flagsync.localstack.Redis;
import dev.flagsync.localstack.Servers;
import dev.flagsync.shared.cache.RedisSnapshotCache;
import dev.flagsync.shared.db.JooqFlagStore;
import dev.flagsync.shared.flag.EncodedSnapshot;
import dev.flagsync.shared.flag.FlagJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import redis.clients.jedis.RedisClient;

/**
 * Streaming and OFREP figures (run with bin/bench-stream): embedded PostgreSQL and Redis, the
 * API as its own JVM; OFREP bulk against the plain read, for 20 plain flags and for 50 targeted
 * flags of Unleash's model (a new targetingKey per request), alternating; then 1,000 SSE clients
 * and one change.
 */
public final class StreamBenchmark {

    private static final String ENV = "bench-stream";
    private static final String TARGETED_ENV = "bench-targeted";

    public static void main(String[] args) throws Exception {
        int clients = Integer.getInteger("clients", 1000);
        int loadClients = Integer.getInteger("loadClients", 32);
        Duration loadDuration = Duration.ofSeconds(Integer.getInteger("loadSeconds", 10));
        try (Postgres postgres = Servers.postgres(); Redis redis = Servers.redis();
             RedisClient redisClient = RedisClient.builder().fromURI(redis.url()).build()) {
            Map<String, String> env = Map.of("DATABASE_URL", postgres.jdbcUrl(), "DATABASE_USER", postgres.user(),
                    "DATABASE_PASSWORD", postgres.password(), "REDIS_URL", redis.url(),
                    "SSE_MAX_CONNECTIONS", Integer.toString(clients + 100),
                    // Every client comes from 127.0.0.1: the per-address budget would refuse most of them.
                    "RATE_LIMIT_ANONYMOUS_PER_SECOND", "0");
            try (ApiProcess api = ApiProcess.start(env, Path.of("api", "target", "bench-stream-api.log"))) {
                TestDatabase database = new TestDatabase(postgres);
                database.sql(flags());
                RedisSnapshotCache cache = new RedisSnapshotCache(redisClient, Duration.ofMinutes(5));
                JooqFlagStore store = database.store();
                publish(cache, store, ENV);

                database.sql(targetedFlags());
                publish(cache, store, TARGETED_ENV);
                checkTargetedAnswers(api);

                int rounds = Integer.getInteger("loadRounds", 3);
                System.out.printf("load: %d closed-loop clients, %d rounds of %d s per endpoint, alternating, after a 3 s warm-up of each%n",
                        loadClients, rounds, loadDuration.toSeconds());
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
                        ClosedLoad.Result result = ClosedLoad.run(loadClients, loadDuration, endpoints.get(i).requests());
                        perSecond[i] = result.requestsPerSecond();
                        line.append(String.format(" %s %,.0f req/s (%d errors);", endpoints.get(i).name(), perSecond[i], result.errors()));
                    }
                    System.out.println(line);
                    System.out.printf("round %d: OFREP/GET plain %.2f; OFREP 50 targeted / GET 50 targeted %.2f;"
                                    + " OFREP 50 targeted / GET 20 plain %.2f (load average %s)%n", round, perSecond[1] / perSecond[0],
                            perSecond[3] / perSecond[2], perSecond[3] / perSecond[0], loadAverage());
                }

                long heapBefore = api.heapUsedAfterGc();
                long rssBefore = api.rssBytes();
                List<SseClient> streams = new ArrayList<>();
                AtomicLong awaited = new AtomicLong(-1);
                CountDownLatch allArrived = new CountDownLatch(clients);
                URI stream = URI.create("http://127.0.0.1:" + api.port + "/api/v1/environments/" + ENV + "/flags/stream");
                for (int i = 0; i < clients; i++) {
                    streams.add(SseClient.open(stream, id -> {
                        if (id == awaited.get()) {
                            allArrived.countDown();
                        }
                    }));
                }
                for (SseClient client : streams) {
                    if (!client.awaitFirstEvent(Duration.ofSeconds(30))) {
                        throw new IllegalStateException("a stream got no first event");
                    }
                }
                long heapAfter = api.heapUsedAfterGc();
                long rssAfter = api.rssBytes();
                System.out.printf("memory per connection: heap %,d B, RSS %,d B (%d connections; heap %,d -> %,d B after GC)%n",
                        (heapAfter - heapBefore) / clients, (rssAfter - rssBefore) / clients, clients, heapBefore, heapAfter);

                database.sql("UPDATE feature_flags SET enabled = NOT enabled WHERE environment = '" + ENV + "' AND flag_key = 'flag-00'");
                EncodedSnapshot changed = FlagJson.encode(store.load(ENV));
                cache.putIfNewer(changed);
                awaited.set(changed.version());
                long published = System.nanoTime();
                cache.publishChange(ENV, changed.version());
                allArrived.await(30, TimeUnit.SECONDS); // blocks without spinning, so the API keeps both CPUs
                List<Long> latencies = new ArrayList<>();
                for (SseClient client : streams) {
                    Long arrival = client.arrivalNanos(changed.version());
                    if (arrival != null) {
                        latencies.add(arrival - published);
                    }
                }
                latencies.sort(null);
                System.out.printf("change to %d clients (%d got it): p50 %.1f ms, p99 %.1f ms, all %.1f ms%n", clients,
                        latencies.size(), ms(latencies, 0.50), ms(latencies, 0.99), ms(latencies, 1.0));
                streams.forEach(SseClient::close);
            }
        }
    }

    private static double ms(List<Long> sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    private record Endpoint(String name, IntFunction<HttpRequest> requests) {
    }

    private static HttpRequest read(ApiProcess api, String env) {
        return ClosedLoad.request(api.port, "/api/v1/environments/" + env + "/flags").GET().build();
    }

    private static HttpRequest ofrep(ApiProcess api, String env, String context) {
        return ClosedLoad.request(api.port, "/ofrep/v1/evaluate/flags")
                .header("Content-Type", "application/json").header("X-Flag-Environment", env)
                .POST(HttpRequest.BodyPublishers.ofString("{\"context\":" + context + "}")).build();
    }

    /** Fails unless targeted bulk answers hold all 50 flags and no error: a benchmark of error answers would measure nothing. */
    private static void checkTargetedAnswers(ApiProcess api) throws Exception {
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

    private static String loadAverage() throws java.io.IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static void publish(RedisSnapshotCache cache, JooqFlagStore store, String env) {
        EncodedSnapshot snapshot = FlagJson.encode(store.load(env));
        cache.putIfNewer(snapshot);
        cache.publishChange(ENV, snapshot.version());
    }
}
