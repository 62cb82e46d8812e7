package dev.flagsync.shared.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {

    @Test
    void missingRequiredValueNamesTheVariable() {
        assertThatThrownBy(() -> new Env(Map.of()).required("DATABASE_URL"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("DATABASE_URL is required but not set");
        assertThatThrownBy(() -> new Env(Map.of("DATABASE_URL", "  ")).required("DATABASE_URL"))
                .hasMessageContaining("DATABASE_URL");
    }

    @Test
    void integersAreRangeChecked() {
        Env env = new Env(Map.of("A", "12", "B", "0", "C", "x"));
        assertThat(env.integer("A", 5, 1, 100)).isEqualTo(12);
        assertThat(env.integer("MISSING", 5, 1, 100)).isEqualTo(5);
        assertThatThrownBy(() -> env.integer("B", 5, 1, 100)).hasMessageContaining("B must be a whole number from 1 to 100");
        assertThatThrownBy(() -> env.integer("C", 5, 1, 100)).hasMessageContaining("C must be");
    }

    @Test
    void listsAreTrimmedAndRejectEmptyEntries() {
        assertThat(new Env(Map.of("L", "a, b")).list("L")).isEqualTo(List.of("a", "b"));
        assertThat(new Env(Map.of()).list("L")).isEmpty();
        assertThatThrownBy(() -> new Env(Map.of("L", "a,,b")).list("L")).hasMessageContaining("L must be");
    }

    @Test
    void databaseConfigHidesThePassword() {
        DatabaseConfig config = DatabaseConfig.from(new Env(Map.of("DATABASE_URL", "jdbc:postgresql://h/db",
                "DATABASE_USER", "u", "DATABASE_PASSWORD", "s3cret")));
        assertThat(config.toString()).doesNotContain("s3cret");
        assertThatThrownBy(() -> DatabaseConfig.from(new Env(Map.of("DATABASE_URL", "mysql://h", "DATABASE_USER", "u",
                "DATABASE_PASSWORD", "p")))).hasMessageContaining("DATABASE_URL");
    }

    @Test
    void redisConfigParsesUrlAndHidesThePassword() {
        RedisConfig config = RedisConfig.from(new Env(Map.of("REDIS_URL", "rediss://app:p%40ss@cache.internal:6380/2",
                "CACHE_TTL_SECONDS", "60")));
        assertThat(config).extracting(RedisConfig::host, RedisConfig::port, RedisConfig::user, RedisConfig::password,
                RedisConfig::database, RedisConfig::tls, RedisConfig::snapshotTtl)
                .containsExactly("cache.internal", 6380, "app", "p@ss", 2, true, Duration.ofSeconds(60));
        assertThat(config.toString()).doesNotContain("p@ss").doesNotContain("p%40ss");
        assertThat(RedisConfig.from(new Env(Map.of("REDIS_URL", "redis://localhost"))).snapshotTtl()).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void malformedRedisUrlFailsWithoutEchoingIt() {
        assertThatThrownBy(() -> RedisConfig.from(new Env(Map.of("REDIS_URL", "http://user:secret@host"))))
                .hasMessageContaining("REDIS_URL")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
        assertThatThrownBy(() -> RedisConfig.from(new Env(Map.of("REDIS_URL", "redis://h:1", "CACHE_TTL_SECONDS", "-1"))))
                .hasMessageContaining("CACHE_TTL_SECONDS");
    }
}
