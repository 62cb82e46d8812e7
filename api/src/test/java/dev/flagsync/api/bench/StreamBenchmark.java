package dev.flagsync.api.bench;

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
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.RedisClient;

/**
 * Streaming and OFREP figures (run with bin/bench-stream): embedded PostgreSQL and Redis, the
 * API as its own JVM, 1,000 SSE clients and one change, then OFREP bulk against the plain read.
 */
public final class StreamBenchmark {

    private static final String ENV = "bench-stream";

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
                publish(cache, store);

                int rounds = Integer.getInteger("loadRounds", 3);
                System.out.printf("load: %d closed-loop clients, %d rounds of %d s per endpoint, alternating, after a 3 s warm-up of each%n",
                        loadClients, rounds, loadDuration.toSeconds());
                // Both endpoints warm up first and then alternate, so neither is measured on a colder JIT.
                ClosedLoad.run(loadClients, Duration.ofSeconds(3), n -> read(api));
                ClosedLoad.run(loadClients, Duration.ofSeconds(3), n -> ofrep(api, n));
                for (int round = 1; round <= rounds; round++) {
                    ClosedLoad.Result read = ClosedLoad.run(loadClients, loadDuration, n -> read(api));
                    ClosedLoad.Result ofrep = ClosedLoad.run(loadClients, loadDuration, n -> ofrep(api, n));
                    System.out.printf("round %d: GET all flags %,.0f req/s (%d errors), OFREP bulk %,.0f req/s (%d errors), OFREP/GET %.2f%n",
                            round, read.requestsPerSecond(), read.errors(), ofrep.requestsPerSecond(), ofrep.errors(),
                            ofrep.requestsPerSecond() / read.requestsPerSecond());
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

    private static HttpRequest read(ApiProcess api) {
        return ClosedLoad.request(api.port, "/api/v1/environments/" + ENV + "/flags").GET().build();
    }

    private static HttpRequest ofrep(ApiProcess api, int n) {
        return ClosedLoad.request(api.port, "/ofrep/v1/evaluate/flags")
                .header("Content-Type", "application/json").header("X-Flag-Environment", ENV)
                .POST(HttpRequest.BodyPublishers.ofString("{\"context\":{\"targetingKey\":\"user-" + n + "\"}}")).build();
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

    private static void publish(RedisSnapshotCache cache, JooqFlagStore store) {
        EncodedSnapshot snapshot = FlagJson.encode(store.load(ENV));
        cache.putIfNewer(snapshot);
        cache.publishChange(ENV, snapshot.version());
    }
}
