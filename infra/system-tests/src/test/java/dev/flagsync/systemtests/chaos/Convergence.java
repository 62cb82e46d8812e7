package dev.flagsync.systemtests.chaos;

import com.zaxxer.hikari.HikariDataSource;
import dev.flagsync.shared.cache.RedisClients;
import dev.flagsync.shared.cache.RedisSnapshotCache;
import dev.flagsync.shared.config.DatabaseConfig;
import dev.flagsync.shared.config.Env;
import dev.flagsync.shared.config.RedisConfig;
import dev.flagsync.shared.db.Databases;
import dev.flagsync.shared.db.JooqFlagStore;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.Snapshot;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import redis.clients.jedis.RedisClient;

/**
 * The end state a run must reach: for every environment, the snapshot in Redis and the one the
 * API serves equal the database's (same version, same flags), and every SSE client's last frame is
 * that snapshot. Snapshots are read and compared with the apps' own code (shared's store and JSON).
 */
final class Convergence implements AutoCloseable {

    private final HikariDataSource pool;
    private final JooqFlagStore database;
    private final RedisClient redisClient;
    private final RedisSnapshotCache redis;
    private final Function<String, URI> snapshotUri;

    Convergence(ChaosStack stack, Function<String, URI> snapshotUri) {
        this.pool = Databases.pool(new DatabaseConfig(stack.postgres().jdbcUrl(), stack.postgres().user(),
                stack.postgres().password()), "chaos-check", 2);
        this.database = new JooqFlagStore(pool);
        RedisConfig config = RedisConfig.from(new Env(Map.of("REDIS_URL", stack.redis().url())));
        this.redisClient = RedisClients.pooled(config, Duration.ofSeconds(2), 2);
        this.redis = new RedisSnapshotCache(redisClient, config.snapshotTtl());
        this.snapshotUri = snapshotUri;
    }

    /** What still differs; empty when everything agrees with the database. */
    List<String> differences(List<String> environments, List<SseClients.Client> clients) {
        List<String> differences = new ArrayList<>();
        for (String environment : environments) {
            Snapshot stored = database.load(environment);
            Optional<Snapshot> cached = redis.get(environment).map(encoded -> encoded.snapshot());
            if (!cached.equals(Optional.of(stored))) {
                differences.add(environment + ": Redis holds " + describe(cached) + ", PostgreSQL version " + stored.version());
            }
            Optional<Snapshot> served = Http.get(snapshotUri.apply(environment)).filter(r -> r.statusCode() == 200)
                    .map(HttpResponse::body).map(body -> FlagJson.decode(body.getBytes(StandardCharsets.UTF_8)).snapshot());
            if (!served.equals(Optional.of(stored))) {
                differences.add(environment + ": the API serves " + describe(served) + ", PostgreSQL version " + stored.version());
            }
            long behind = clients.stream().filter(c -> c.environment.equals(environment))
                    .filter(c -> c.lastData() == null || !decode(c.lastData()).equals(stored)).count();
            if (behind > 0) {
                differences.add(environment + ": " + behind + " SSE client(s) not on version " + stored.version()
                        + " with its flags");
            }
        }
        return differences;
    }

    private static Snapshot decode(String data) {
        return FlagJson.decode(data.getBytes(StandardCharsets.UTF_8)).snapshot();
    }

    private static String describe(Optional<Snapshot> snapshot) {
        return snapshot.map(s -> "version " + s.version() + " (" + s.flags().size() + " flags)").orElse("nothing");
    }

    @Override
    public void close() {
        redisClient.close();
        pool.close();
    }
}
