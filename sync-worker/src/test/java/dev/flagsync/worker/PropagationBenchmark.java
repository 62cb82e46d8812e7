package dev.flagsync.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.shared.cache.RedisKeys;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.worker.kafka.KafkaClients;
import dev.flagsync.worker.kafka.Topics;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisClient;

/**
 * Change propagation through the real worker and the real API on embedded servers
 * (bin/bench-propagation). Two clocks stop for every change: the worker's announcement on
 * feature_flags:changes (sent right after the Redis write), and the arrival of the version's
 * {@code id:} on an SSE stream held open on the API, which sends it only after re-reading the
 * snapshot, so it is the moment the API serves the new version.
 * Propagation: single-row updates at a steady rate, each timed from the client's commit.
 * Burst: updates to one environment as fast as 1 (then N) connections commit them.
 */
public final class PropagationBenchmark {

    static final Path API_JAR = Path.of("api", "target", "flagsync-api.jar");
    private static final int WARM_UP = 100;
    private static final int MAX_WRITERS = 8;

    private final Map<String, ConcurrentSkipListMap<Long, Long>> announced = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        int updates = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int burst = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int[] writers = Arrays.stream((args.length > 3 ? args[3] : "1,4").split(",")).mapToInt(Integer::parseInt).toArray();
        if (Arrays.stream(writers).anyMatch(w -> w < 1 || w > MAX_WRITERS)) {
            throw new IllegalArgumentException("writers must be between 1 and " + MAX_WRITERS);
        }
        try (Stack stack = new Stack("bench_" + Long.toString(System.currentTimeMillis(), 36))) {
            stack.migrate();
            stack.sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('bench-prop', 'f')");
            for (int i = 0; i < MAX_WRITERS; i++) {
                stack.sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('bench-burst', 'f" + i + "')");
            }
            try (Worker worker = Worker.start(stack.config(Map.of("RECONCILE_INTERVAL_SECONDS", "3600")));
                 ApiProcess api = ApiProcess.start(API_JAR, ApiProcess.envFrom(stack.env(Map.of())),
                         Path.of("sync-worker", "target", "bench-propagation-api.log"))) {
                new PropagationBenchmark().run(stack, worker, api, updates, rate, burst, writers);
            }
        }
        System.exit(0);
    }

    private void run(Stack stack, Worker worker, ApiProcess api, int updates, int rate, int burst, int[] writers)
            throws Exception {
        System.out.printf("load average at start: %s%n", loadAverage());
        RedisClient redis = RedisClient.create(URI.create(stack.redis.url()));
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                long now = System.nanoTime();
                JsonNode change = FlagJson.readTree(message.getBytes(StandardCharsets.UTF_8));
                announced.computeIfAbsent(change.get("environment").asText(), e -> new ConcurrentSkipListMap<>())
                        .putIfAbsent(change.get("version").asLong(), now);
            }
        };
        Thread.ofPlatform().daemon(true).start(() -> redis.subscribe(listener, RedisKeys.CHANGES_CHANNEL));
        List<long[]> stages = Collections.synchronizedList(new ArrayList<>());
        Thread.ofPlatform().daemon(true).start(() -> tapStages(stack, stages));
        try (SseStream propStream = SseStream.open(api.base.resolve("/api/v1/environments/bench-prop/flags/stream"));
             SseStream burstStream = SseStream.open(api.base.resolve("/api/v1/environments/bench-burst/flags/stream"));
             Connection connection = stack.connect()) {
            // Not measured: JIT warm-up of the worker, the API and the clients, at the benchmark's rate.
            long warm = 0;
            for (int i = 0; i < WARM_UP; i++) {
                warm = commit(connection, "bench-prop", "warm-up-" + i);
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1) / rate);
            }
            waitFor(v -> propStream.arrival(v), warm, 60);
            stages.clear();
            propagation(connection, propStream, updates, rate);
            synchronized (stages) {
                long[] capture = stages.stream().mapToLong(a -> a[0]).sorted().toArray();
                long[] consume = stages.stream().mapToLong(a -> a[1]).sorted().toArray();
                System.out.printf("stages: commit->kafka p50 %d p99 %d ms; kafka->consumer p50 %d p99 %d ms (n=%d)%n",
                        capture[capture.length / 2], capture[capture.length * 99 / 100], consume[consume.length / 2],
                        consume[consume.length * 99 / 100], capture.length);
            }
            for (int writerCount : writers) {
                burst(stack, worker, burstStream, burst, writerCount);
            }
        }
        System.out.printf("load average at end: %s%n", loadAverage());
        listener.unsubscribe();
        redis.close();
    }

    /** Other processes share this machine's cores; the figures are read next to this. */
    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** Commit (source.ts_ms) to Kafka, and Kafka to a consumer, from a second consumer group. */
    private static void tapStages(Stack stack, List<long[]> stages) {
        try (var consumer = KafkaClients.consumer(stack.config(Map.of("SYNC_GROUP_ID", "bench-tap")).kafka(), "bench-tap")) {
            consumer.subscribe(List.of(Topics.changes(stack.name)));
            while (!Thread.currentThread().isInterrupted()) {
                for (var record : consumer.poll(java.time.Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    if (record.value() == null) {
                        continue;
                    }
                    long ts = FlagJson.readTree(record.value().getBytes(StandardCharsets.UTF_8)).path("source").path("ts_ms").asLong();
                    stages.add(new long[] {record.timestamp() - ts, now - record.timestamp()});
                }
            }
        } catch (RuntimeException e) {
            // the tap ends with the run
        }
    }

    private void propagation(Connection connection, SseStream stream, int updates, int rate) throws SQLException {
        long[] versions = new long[updates];
        long[] committedAt = new long[updates];
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long next = System.nanoTime();
        for (int i = 0; i < updates; i++) {
            LockSupport.parkNanos(next - System.nanoTime());
            next += interval;
            versions[i] = commit(connection, "bench-prop", "p" + i);
            committedAt[i] = System.nanoTime();
        }
        waitFor(v -> arrival("bench-prop", v), versions[updates - 1], 30);
        waitFor(stream::arrival, versions[updates - 1], 30);
        report("commit->redis", updates, rate, latencies(versions, committedAt, v -> arrival("bench-prop", v)));
        report("commit->api  ", updates, rate, latencies(versions, committedAt, stream::arrival));
    }

    private static double[] latencies(long[] versions, long[] committedAt, LongFunction<Long> arrival) {
        double[] millis = new double[versions.length];
        for (int i = 0; i < versions.length; i++) {
            Long arrived = arrival.apply(versions[i]);
            millis[i] = arrived == null ? Double.POSITIVE_INFINITY : (arrived - committedAt[i]) / 1e6;
        }
        Arrays.sort(millis);
        return millis;
    }

    private static void report(String what, int updates, int rate, double[] millis) {
        System.out.printf("propagation %s: %d updates at %d/s: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", what, updates,
                rate, millis[updates / 2], millis[(int) Math.ceil(updates * 0.99) - 1], millis[updates - 1]);
    }

    /**
     * {@code updates} autocommitted updates to bench-burst, split over {@code writers}
     * connections, each on its own flag (they still serialise on the environment's version row).
     */
    private void burst(Stack stack, Worker worker, SseStream stream, int updates, int writers) throws Exception {
        double rewarmsBefore = worker.metrics().changeRewarms();
        List<Connection> connections = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            connections.add(stack.connect());
        }
        long started = System.nanoTime();
        List<Future<Long>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            for (int w = 0; w < writers; w++) {
                Connection connection = connections.get(w);
                String flag = "f" + w;
                int share = updates / writers + (w < updates % writers ? 1 : 0);
                done.add(pool.submit(() -> write(connection, flag, share)));
            }
        }
        long lastCommit = 0;
        for (Future<Long> writer : done) {
            lastCommit = Math.max(lastCommit, writer.get());
        }
        long last;
        try (Connection connection = connections.getFirst();
             PreparedStatement version = connection.prepareStatement(
                     "SELECT version FROM flag_environment_versions WHERE environment = 'bench-burst'");
             ResultSet rs = version.executeQuery()) {
            rs.next();
            last = rs.getLong(1);
        }
        for (Connection connection : connections.subList(1, connections.size())) {
            connection.close();
        }
        waitFor(v -> arrival("bench-burst", v), last, 60);
        waitFor(stream::arrival, last, 60);
        Long inRedis = arrival("bench-burst", last);
        Long inApi = stream.arrival(last);
        System.out.printf("burst: %d updates (autocommit, %d connection%s) written in %d ms; %.0f rewarms;"
                        + " caught up in Redis %s ms after the first write, %s ms after the last commit;"
                        + " served by the API %s ms after the first write, %s ms after the last commit%n",
                updates, writers, writers == 1 ? "" : "s", (lastCommit - started) / 1_000_000,
                worker.metrics().changeRewarms() - rewarmsBefore,
                since(started, inRedis), since(lastCommit, inRedis), since(started, inApi), since(lastCommit, inApi));
    }

    /** Returns when this writer's last commit returned. */
    private static long write(Connection connection, String flag, int updates) throws SQLException {
        connection.setAutoCommit(true);
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE feature_flags SET description = ? WHERE environment = 'bench-burst' AND flag_key = ?")) {
            update.setString(2, flag);
            for (int i = 0; i < updates; i++) {
                update.setString(1, "b" + i);
                update.executeUpdate();
            }
        }
        return System.nanoTime();
    }

    private static String since(long start, Long end) {
        return end == null ? "never" : Long.toString((end - start) / 1_000_000);
    }

    private static void waitFor(LongFunction<Long> arrival, long version, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (arrival.apply(version) == null && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /** When the worker first announced this version or a later one (a batch may skip versions). */
    private Long arrival(String environment, long version) {
        var versions = announced.get(environment);
        if (versions == null) {
            return null;
        }
        return versions.tailMap(version, true).values().stream().min(Long::compare).orElse(null);
    }

    /** One transaction: the update and the version it produced. */
    private static long commit(Connection connection, String environment, String description) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE feature_flags SET description = ? WHERE environment = ? AND flag_key = 'f'");
             PreparedStatement version = connection.prepareStatement(
                     "SELECT version FROM flag_environment_versions WHERE environment = ?")) {
            update.setString(1, description);
            update.setString(2, environment);
            update.executeUpdate();
            version.setString(1, environment);
            try (ResultSet rs = version.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                connection.commit();
                return v;
            }
        }
    }
}
