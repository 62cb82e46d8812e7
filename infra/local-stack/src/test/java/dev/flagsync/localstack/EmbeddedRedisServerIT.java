package dev.flagsync.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;

class EmbeddedRedisServerIT {

    private final Path dataDir = Directories.createTemp("flagsync-redis-it-");
    private final EmbeddedRedisServer redis = EmbeddedRedisServer.startOn(Ports.free(), dataDir);

    @AfterEach
    void closeServer() {
        redis.close();
    }

    @Test
    void answersPingOnLoopback() {
        assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + redis.port());
        try (RedisClient client = RedisClient.create(redis.url())) {
            assertThat(client.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void keepsPortAndDataAcrossStopAndStart() {
        try (RedisClient client = RedisClient.create(redis.url())) {
            client.set("survivor", "42");
        }

        redis.stop();
        assertThat(redis.isRunning()).isFalse();
        try (RedisClient client = RedisClient.create(redis.url())) {
            assertThatThrownBy(client::ping).isInstanceOf(JedisConnectionException.class);
        }

        redis.start();
        assertThat(redis.isRunning()).isTrue();
        try (RedisClient client = RedisClient.create(redis.url())) {
            assertThat(client.get("survivor")).isEqualTo("42");
        }
    }

    @Test
    void killEndsTheProcessWithoutSavingAndStartComesBackOnThePort() {
        try (RedisClient client = RedisClient.create(redis.url())) {
            client.set("unsaved", "1"); // the one-hour save point has not passed: only in memory
        }
        ProcessHandle server = ProcessHandle.of(redis.pid()).orElseThrow();

        redis.kill();
        assertThat(server.isAlive()).isFalse();
        assertThat(redis.isRunning()).isFalse();
        assertThat(Files.exists(dataDir.resolve("dump.rdb"))).as("a SIGKILL leaves no RDB behind").isFalse();

        redis.start();
        try (RedisClient client = RedisClient.create(redis.url())) {
            assertThat(client.ping()).isEqualTo("PONG");
            assertThat(client.get("unsaved")).isNull();
        }
    }

    @Test
    void closeDeletesTheDataFolder() {
        redis.close();

        assertThat(redis.isRunning()).isFalse();
        assertThat(Files.exists(dataDir)).isFalse();
    }
}
