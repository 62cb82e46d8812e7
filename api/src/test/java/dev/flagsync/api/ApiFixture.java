package dev.flagsync.api;

import static org.awaitility.Awaitility.await;

import dev.flagsync.localstack.Postgres;
import dev.flagsync.localstack.Redis;
import dev.flagsync.localstack.Servers;
import dev.flagsync.shared.config.Env;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.RedisClient;

/**
 * A running API on real PostgreSQL and Redis, owned by one test class (or test). By default the
 * stores are this JVM's shared servers ({@link TestServers}) with a fresh database and Redis
 * index; tests that stop a store take servers of their own. Extra environment variables override
 * the defaults below.
 */
public final class ApiFixture implements AutoCloseable {

    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";

    public final Postgres postgres;
    public final Redis redis;
    public final RedisClient redisClient;
    public final Api api;
    /** The environment the API was started with, to start a second API on the same stores. */
    public final Map<String, String> env;
    private final TestDatabase database;
    private final boolean ownsServers;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** On the shared servers, which cannot be stopped: {@link #withOwnRedis} or {@link #withOwnServers} for that. */
    public ApiFixture(Map<String, String> overrides) {
        this(TestServers.freshDatabase(), TestServers.freshRedisDatabase(), overrides, true, true);
    }

    /** A Redis of its own, to stop or restart; a fresh database on the shared PostgreSQL. */
    public static ApiFixture withOwnRedis(Map<String, String> overrides) {
        return started(TestServers.freshDatabase(), Servers.redis(), overrides);
    }

    /** A PostgreSQL and a Redis of its own, to stop or restart. */
    public static ApiFixture withOwnServers(Map<String, String> overrides) {
        return started(Servers.postgres(), Servers.redis(), overrides);
    }

    /** On servers the caller owns and keeps (e.g. started once per class); closing the fixture leaves them running. */
    public static ApiFixture on(Postgres postgres, Redis redis, Map<String, String> overrides) {
        return new ApiFixture(postgres, redis, overrides, false, true);
    }

    /** With neither store reachable from the start (addresses nothing listens on). */
    public static ApiFixture withUnreachableStores(Map<String, String> overrides) {
        return new ApiFixture(TestServers.unreachablePostgres(), TestServers.unreachableRedis(), overrides, true, false);
    }

    private static ApiFixture started(Postgres postgres, Redis redis, Map<String, String> overrides) {
        try {
            return new ApiFixture(postgres, redis, overrides, true, true);
        } catch (RuntimeException e) {
            redis.close();
            postgres.close();
            throw e;
        }
    }

    /** @param awaitLoad wait for the API's initial load, so a test's own writes come after it */
    private ApiFixture(Postgres postgres, Redis redis, Map<String, String> overrides, boolean ownsServers,
                       boolean awaitLoad) {
        this.postgres = postgres;
        this.redis = redis;
        this.ownsServers = ownsServers;
        this.database = new TestDatabase(postgres);
        // Tests restart Redis: check each pooled connection before use rather than fail once on it.
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setTestOnBorrow(true);
        redisClient = RedisClient.builder().fromURI(redis.url()).poolConfig(pool).build();
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", postgres.jdbcUrl());
        env.put("DATABASE_USER", postgres.user());
        env.put("DATABASE_PASSWORD", postgres.password());
        env.put("REDIS_URL", redis.url());
        env.put("HTTP_HOST", "127.0.0.1");
        env.put("HTTP_PORT", "0");
        env.put("ADMIN_TOKENS", ADMIN_TOKEN);
        env.putAll(overrides);
        this.env = Map.copyOf(env);
        try {
            api = Api.start(ApiConfig.from(new Env(env)));
        } catch (RuntimeException e) {
            redisClient.close();
            throw e;
        }
        if (awaitLoad) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> !get("/health/ready").body().contains("\"initial-load\""));
        }
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
    }

    public HttpResponse<String> put(String path, String body, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    public HttpResponse<String> delete(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE(), headers);
    }

    public HttpResponse<String> send(HttpRequest.Builder request, String... headers) {
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + api.port() + path);
    }

    /** Runs SQL as any other client would (psql, an admin tool), outside the API. */
    public void sql(String statement) {
        database.sql(statement);
    }

    public TestDatabase database() {
        return database;
    }

    @Override
    public void close() {
        api.close();
        redisClient.close();
        if (ownsServers) {
            redis.close();
            postgres.close();
        }
    }
}
