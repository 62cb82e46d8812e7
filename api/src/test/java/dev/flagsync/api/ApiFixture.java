package dev.flagsync.api;

import dev.flagsync.localstack.Postgres;
import dev.flagsync.localstack.Redis;
import dev.flagsync.localstack.Servers;
import dev.flagsync.shared.config.Env;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.RedisClient;

/**
 * A running API on real embedded PostgreSQL and Redis, on free ports, owned by one test class.
 * Extra environment variables override the defaults below.
 */
public final class ApiFixture implements AutoCloseable {

    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";

    public final Postgres postgres;
    public final Redis redis;
    public final RedisClient redisClient;
    public final Api api;
    /** The environment the API was started with, to start a second API on the same stores. */
    public final Map<String, String> env;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ApiFixture(Map<String, String> overrides) {
        postgres = Servers.postgres();
        redis = Servers.redis();
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
        api = Api.start(ApiConfig.from(new Env(env)));
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
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
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
        try (java.sql.Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
             Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        api.close();
        redisClient.close();
        redis.close();
        postgres.close();
    }
}
