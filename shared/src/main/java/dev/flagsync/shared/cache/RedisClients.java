package dev.flagsync.shared.cache;

import dev.flagsync.shared.config.RedisConfig;
import java.time.Duration;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

/** Pooled Redis clients with short timeouts, so a dead or slow Redis costs milliseconds, not seconds. */
public final class RedisClients {

    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private RedisClients() {
    }

    /** Connection settings from the URL; a zero socket timeout blocks forever (for subscriptions). */
    public static DefaultJedisClientConfig clientConfig(RedisConfig config, Duration socketTimeout, String clientName) {
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) CONNECT_TIMEOUT.toMillis())
                .socketTimeoutMillis((int) socketTimeout.toMillis())
                .database(config.database())
                .ssl(config.tls())
                .clientName(clientName);
        if (config.user() != null) {
            client.user(config.user());
        }
        if (config.password() != null) {
            client.password(config.password());
        }
        return client.build();
    }

    /**
     * @param commandTimeout socket read timeout per command; the API uses a few hundred
     *                       milliseconds, the worker can afford more
     */
    public static RedisClient pooled(RedisConfig config, Duration commandTimeout, int maxConnections) {
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(maxConnections);
        pool.setMaxIdle(maxConnections);
        pool.setMinIdle(1);
        // Waiting for a pooled connection must not outlast the command timeout itself.
        pool.setMaxWait(commandTimeout);
        // Idle connections are checked in the background, so a Redis restart costs at most a
        // few failed commands (absorbed by the callers' fallbacks and retries), not one per connection.
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(5));
        pool.setJmxEnabled(false);
        return RedisClient.builder()
                .hostAndPort(config.host(), config.port())
                .clientConfig(clientConfig(config, commandTimeout, "flagsync"))
                .poolConfig(pool)
                .build();
    }
}
