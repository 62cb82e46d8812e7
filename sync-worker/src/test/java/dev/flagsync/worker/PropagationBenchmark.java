package dev.flagsync.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.shared.cache.RedisKeys;
import dev.flagsync.shared.flag.FlagJson;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisClient;

/**
 * Change propagation through the real worker on embedded servers (bin/bench-propagation).
 * Propagation: single-row updates at a steady rate, each timed from the client's commit to
 * the worker's announcement on feature_flags:changes (sent right after the Redis write).
 * Burst: updates to one environment as fast as one connection commits them.
 */
public final class PropagationBenchmark {

    private final Map<String, ConcurrentSkipListMap<Long, Long>> announced = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        int updates = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int burst = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        try (Stack stack = new Stack("bench_" + Long.toString(System.currentTimeMillis(), 36))) {
            stack.migrate();
            stack.sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('bench-prop', 'f'), ('bench-burst', 'f')");
            try (Worker worker = Worker.start(stack.config(Map.of("RECONCILE_INTERVAL_SECONDS", "3600")))) {
                new PropagationBenchmark().run(stack, worker, updates, rate, burst);
            }
        }
        System.exit(0);
    }

    private void run(Stack stack, Worker worker, int updates, int rate, int burst) throws Exception {
        RedisClient redis = RedisClient.create(URI.create(stack.redis.url()));
        Thread listener = Thread.ofPlatform().daemon(true).start(() -> redis.subscribe(new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                long now = System.nanoTime();
                JsonNode change = FlagJson.readTree(message.getBytes(StandardCharsets.UTF_8));
                announced.computeIfAbsent(change.get("environment").asText(), e -> new ConcurrentSkipListMap<>())
                        .putIfAbsent(change.get("version").asLong(), now);
            }
        }, RedisKeys.CHANGES_CHANNEL));
        java.util.List<long[]> stages = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Thread tap = Thread.ofPlatform().daemon(true).start(() -> {
            try (var consumer = KafkaClients.consumer(stack.config(Map.of("SYNC_GROUP_ID", "bench-tap")), "bench-tap")) {
                consumer.subscribe(java.util.List.of(Topics.changes(stack.name)));
                while (!Thread.currentThread().isInterrupted()) {
                    for (var record : consumer.poll(java.time.Duration.ofMillis(100))) {
                        long now = System.currentTimeMillis();
                        if (record.value() == null) continue;
                        long ts = FlagJson.readTree(record.value().getBytes(StandardCharsets.UTF_8)).path("source").path("ts_ms").asLong();
                        stages.add(new long[] {record.timestamp() - ts, now - record.timestamp()});
                    }
                }
            } catch (Exception e) {
                // benchmark tap ends with the run
            }
        });
        try (Connection connection = stack.connect()) {
            long warm = commit(connection, "bench-prop", "warm-up");
            while (arrival("bench-prop", warm) == null) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            propagation(connection, updates, rate);
            synchronized (stages) {
                long[] capture = stages.stream().mapToLong(a -> a[0]).sorted().toArray();
                long[] consume = stages.stream().mapToLong(a -> a[1]).sorted().toArray();
                System.out.printf("stages: commit->kafka p50 %d p99 %d ms; kafka->consumer p50 %d p99 %d ms (n=%d)%n",
                        capture[capture.length / 2], capture[capture.length * 99 / 100], consume[consume.length / 2],
                        consume[consume.length * 99 / 100], capture.length);
            }
            burst(connection, worker, burst);
        }
        listener.interrupt();
        redis.close();
    }

    private void propagation(Connection connection, int updates, int rate) throws SQLException {
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
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (arrival("bench-prop", versions[updates - 1]) == null && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        double[] millis = new double[updates];
        for (int i = 0; i < updates; i++) {
            Long arrived = arrival("bench-prop", versions[i]);
            millis[i] = arrived == null ? Double.POSITIVE_INFINITY : (arrived - committedAt[i]) / 1e6;
        }
        Arrays.sort(millis);
        System.out.printf("propagation: %d updates at %d/s: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", updates, rate,
                millis[updates / 2], millis[(int) Math.ceil(updates * 0.99) - 1], millis[updates - 1]);
    }

    private void burst(Connection connection, Worker worker, int updates) throws SQLException {
        double rewarmsBefore = worker.metrics().changeRewarms();
        long started = System.nanoTime();
        connection.setAutoCommit(true);
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE feature_flags SET description = ? WHERE environment = 'bench-burst' AND flag_key = 'f'")) {
            for (int i = 0; i < updates; i++) {
                update.setString(1, "b" + i);
                update.executeUpdate();
            }
        }
        long written = System.nanoTime();
        long last;
        try (PreparedStatement version = connection.prepareStatement(
                "SELECT version FROM flag_environment_versions WHERE environment = 'bench-burst'");
             ResultSet rs = version.executeQuery()) {
            rs.next();
            last = rs.getLong(1);
        }
        while (arrival("bench-burst", last) == null && System.nanoTime() - written < TimeUnit.SECONDS.toNanos(60)) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        Long arrived = arrival("bench-burst", last);
        System.out.printf("burst: %d updates (autocommit, one connection) written in %d ms; final version in Redis %s ms"
                        + " after the first write, %s ms after the last; %.0f rewarms%n", updates,
                (written - started) / 1_000_000,
                arrived == null ? "never" : Long.toString((arrived - started) / 1_000_000),
                arrived == null ? "never" : Long.toString((arrived - written) / 1_000_000),
                worker.metrics().changeRewarms() - rewarmsBefore);
    }

    /** When the worker first announced this version or a later one (a batch may skip versions). */
    private Long arrival(String environment, long version) {
        var versions = announced.get(environment);
        if (versions == null) {
            return null;
        }
        return versions.tailMap(version, true).values().stream().min(Long::compare).orElse(null);
    }

    /** One autocommitted-like transaction: the update and the version it produced. */
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
