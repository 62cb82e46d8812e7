package dev.flagsync.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.localstack.Ports;
import dev.flagsync.localstack.bench.Figure;
import dev.flagsync.localstack.bench.Histograms;
import dev.flagsync.localstack.bench.ProcessStats;
import dev.flagsync.localstack.bench.ShippedJvm;
import dev.flagsync.shared.cache.RedisKeys;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.propagation.Stage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
            int workerPort = Ports.free();
            Map<String, String> workerEnv = new HashMap<>(stack.env(Map.of("RECONCILE_INTERVAL_SECONDS", "3600",
                    "METRICS_PORT", Integer.toString(workerPort))));
            workerEnv.remove("CAPTURE_HEARTBEAT_INTERVAL_MS"); // the shipped default, not the tests' fast one
            // The worker's latency-versus-idle settings, when the run is to try other values.
            for (String setting : List.of("CAPTURE_POLL_INTERVAL_MS", "SYNC_COALESCE_MS")) {
                if (System.getenv(setting) != null) {
                    workerEnv.put(setting, System.getenv(setting));
                    System.out.printf("worker setting from this environment: %s=%s%n", setting, System.getenv(setting));
                }
            }
            int apiPort = Ports.free();
            Map<String, String> apiEnv = new HashMap<>(ApiProcess.envFrom(stack.env(Map.of())));
            apiEnv.putAll(Map.of("HTTP_HOST", "127.0.0.1", "HTTP_PORT", Integer.toString(apiPort)));
            Path root = Path.of("");
            try (ShippedJvm worker = ShippedJvm.worker(root, workerEnv, workerPort,
                         Path.of("sync-worker", "target", "bench-propagation-worker.log"));
                 ShippedJvm api = ShippedJvm.api(root, apiEnv, apiPort,
                         Path.of("sync-worker", "target", "bench-propagation-api.log"))) {
                new PropagationBenchmark().run(stack, worker, api, updates, rate, burst, writers);
            }
        }
        System.exit(0);
    }

    private void run(Stack stack, ShippedJvm worker, ShippedJvm api, int updates, int rate, int burst, int[] writers)
            throws Exception {
        System.out.printf("load average at start: %s%n", loadAverage());
        Figure.print("worker start to ready (stores up)", worker.startedIn().toMillis(), "ms", "");
        Figure.print("API start to ready (stores up, worker running)", api.startedIn().toMillis(), "ms", "<= 3000");
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
        try (SseStream propStream = SseStream.open(api.uri("/api/v1/environments/bench-prop/flags/stream"));
             SseStream burstStream = SseStream.open(api.uri("/api/v1/environments/bench-burst/flags/stream"));
             Connection connection = stack.connect()) {
            // Not measured: JIT warm-up of the worker, the API and the clients, at the benchmark's rate.
            long warm = 0;
            for (int i = 0; i < WARM_UP; i++) {
                warm = commit(connection, "bench-prop", "warm-up-" + i);
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1) / rate);
            }
            waitFor(v -> propStream.arrival(v), warm, 60);
            Histograms workerBefore = stages(worker.metrics());
            Histograms apiBefore = stages(api.metrics());
            double[] toApi = propagation(connection, propStream, updates, rate);
            stageTable(stages(worker.metrics()).since(workerBefore), stages(api.metrics()).since(apiBefore), toApi);
            for (int writerCount : writers) {
                burst(stack, worker, burstStream, burst, writerCount);
            }
            idle(worker, api);
        }
        System.out.printf("load average at end: %s%n", loadAverage());
        listener.unsubscribe();
        redis.close();
    }

    /**
     * Both processes' CPU while nothing changes: 10 s of /proc ticks each (side by side), after 15 s
     * of quiet that lets the bursts' compilation and collection end (5 s was not enough: the
     * worker's C2 threads still used 30-120 ms per 5 s then); then their resident memory.
     */
    private static void idle(ShippedJvm worker, ShippedJvm api) throws Exception {
        Thread.sleep(15_000);
        double[] shares = new double[2];
        Thread apiSide = Thread.ofPlatform().start(() -> {
            try {
                shares[1] = ProcessStats.coreShare(api.pid(), Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        shares[0] = ProcessStats.coreShare(worker.pid(), Duration.ofSeconds(10));
        apiSide.join();
        Figure.print("worker idle CPU (share of a core, 10 s)", shares[0], "cores", "<= 0.02");
        System.out.println("worker's busiest threads while idle, CPU ms over 5 s: " + ProcessStats.busiestThreads(worker.pid(),
                Duration.ofSeconds(5)).entrySet().stream().limit(8)
                .map(e -> e.getKey() + " " + Math.round(e.getValue() * 1000)).toList());
        Figure.print("API idle CPU (share of a core, 10 s)", shares[1], "cores", "<= 0.01");
        Figure.print("worker RSS after the propagation run", worker.rssBytes() / 1e6, "MB", "<= 300");
    }

    private static Histograms stages(String metrics) {
        return Histograms.parse(metrics, "flagsync_propagation_stage_seconds", Stage.TAG);
    }

    /**
     * Each stage's p50 and p99 over the propagation phase, from the worker's and the API's
     * histograms, and how much of the end-to-end figure the stages on the way add up to.
     */
    private static void stageTable(Histograms worker, Histograms api, double[] toApi) {
        System.out.println("stages of the propagation phase (from the processes' /metrics histograms, about 10 % bucket width):");
        System.out.printf("  %-26s %7s %9s %9s%n", "stage", "count", "p50 ms", "p99 ms");
        double p50Sum = 0;
        double p99Sum = 0;
        for (Stage stage : Stage.values()) {
            Histograms source = stage.process().equals("worker") ? worker : api;
            double p50 = source.quantileMillis(stage.label(), 0.50);
            double p99 = source.quantileMillis(stage.label(), 0.99);
            System.out.printf(Locale.ROOT, "  %-26s %7d %9.2f %9.2f%n", stage.label(), source.count(stage.label()), p50, p99);
            if (stage != Stage.EVENT_TO_KAFKA_ACK && stage != Stage.NOTICE_TO_MEMORY_DROPPED && !Double.isNaN(p50)) {
                p50Sum += p50; // on the way to the stream (the ack and the drop run beside later stages)
                p99Sum += p99;
            }
        }
        System.out.printf(Locale.ROOT, "  the stages on the way (all but the ack and the memory drop) add up to p50 %.1f ms"
                + " of the %.1f ms commit->api p50 (the rest: the SSE client's read and clock steps); p99s add up to %.1f ms%n",
                p50Sum, toApi[toApi.length / 2], p99Sum);
        Figure.print("propagation: stages' p50s / commit->API p50", p50Sum / toApi[toApi.length / 2], "ratio", "");
    }

    /** Other processes share this machine's cores; the figures are read next to this. */
    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private double[] propagation(Connection connection, SseStream stream, int updates, int rate) throws SQLException {
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
        double[] toApi = latencies(versions, committedAt, stream::arrival);
        report("commit->api  ", updates, rate, toApi);
        Figure.print("propagation: commit -> API p50 (" + updates + " updates at " + rate + "/s)", toApi[updates / 2], "ms",
                "<= 20");
        Figure.print("propagation: commit -> API p99", toApi[(int) Math.ceil(updates * 0.99) - 1], "ms", "<= 60");
        return toApi;
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
    private void burst(Stack stack, ShippedJvm worker, SseStream stream, int updates, int writers) throws Exception {
        double rewarmsBefore = changeRewarms(worker);
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
                changeRewarms(worker) - rewarmsBefore,
                since(started, inRedis), since(lastCommit, inRedis), since(started, inApi), since(lastCommit, inApi));
        Figure.print("burst: rewarms for " + updates + " updates, " + writers + " writer" + (writers == 1 ? "" : "s"),
                changeRewarms(worker) - rewarmsBefore, "rewarms", "<= 100");
        Figure.print("burst: API has the last of them, after the last commit (" + writers + " writer"
                + (writers == 1 ? "" : "s") + ")", inApi == null ? Double.NaN : (inApi - lastCommit) / 1e6, "ms", "");
    }

    private static double changeRewarms(ShippedJvm worker) {
        return Histograms.sample(worker.metrics(), "flagsync_sync_rewarms_total{trigger=\"change\"}");
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
