package dev.flagsync.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagsync.api.access.RateLimits;
import dev.flagsync.api.access.ReadMode;
import dev.flagsync.shared.config.ConfigException;
import dev.flagsync.shared.config.Env;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiConfigTest {

    private static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", "jdbc:postgresql://db:5432/flagsync");
        env.put("DATABASE_USER", "flagsync");
        env.put("DATABASE_PASSWORD", "db-secret");
        env.put("REDIS_URL", "redis://:redis-secret@cache:6379");
        return env;
    }

    @Test
    void defaultsFollowTheContract() {
        ApiConfig config = ApiConfig.from(new Env(minimal()));

        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.defaultEnvironment()).isEqualTo("production");
        assertThat(config.adminTokens()).isEmpty();
        assertThat(config.readTokens()).isEmpty();
        assertThat(config.redis().snapshotTtl().toSeconds()).isEqualTo(300);
        assertThat(config.corsAllowedOrigins()).isEmpty();
        assertThat(config.benchmarkEndpoints()).isFalse();
        assertThat(config.sseHeartbeat().toSeconds()).isEqualTo(5);
        assertThat(config.sseMaxLifetime().toSeconds()).isEqualTo(3600);
        assertThat(config.snapshotBackupDir()).isEmpty();
        assertThat(config.access().readMode()).isEqualTo(ReadMode.OPEN);
        assertThat(config.access().trustedProxies()).isEmpty();
        assertThat(config.access().rateLimits()).isEqualTo(new RateLimits(200, 400, 200, 400, 30, 100_000));
    }

    @Test
    void snapshotBackupDirIsAnAbsoluteFolderWhenSet() {
        Map<String, String> env = minimal();
        env.put("SNAPSHOT_BACKUP_DIR", "var/flagsync-backups");
        ApiConfig config = ApiConfig.from(new Env(env));

        assertThat(config.snapshotBackupDir()).hasValue(Path.of("var/flagsync-backups").toAbsolutePath());
        assertThat(config.toString()).contains("snapshotBackupDir=" + Path.of("var/flagsync-backups").toAbsolutePath());
    }

    @Test
    void readTokensWithoutReadAccessMeanTokenModeAsBefore() {
        Map<String, String> env = minimal();
        env.put("READ_TOKENS", "read-secret-0123456789");
        Map<String, String> contradiction = new HashMap<>(env);
        contradiction.put("READ_ACCESS", "open");
        Map<String, String> typo = minimal();
        typo.put("READ_ACCESS", "tokens");

        assertThat(ApiConfig.from(new Env(env)).access().readMode()).isEqualTo(ReadMode.TOKEN);
        assertThatThrownBy(() -> ApiConfig.from(new Env(contradiction))).hasMessageStartingWith("READ_ACCESS=open");
        assertThatThrownBy(() -> ApiConfig.from(new Env(typo))).hasMessageStartingWith("READ_ACCESS");
    }

    @Test
    void accessSettingsAreValidated() {
        Map<String, String> proxies = minimal();
        proxies.put("TRUSTED_PROXIES", "10.0.0.0/8,lb.internal");
        Map<String, String> rate = minimal();
        rate.put("RATE_LIMIT_TOKEN_PER_SECOND", "-1");
        Map<String, String> burst = minimal();
        burst.put("RATE_LIMIT_ANONYMOUS_BURST", "0");

        assertThatThrownBy(() -> ApiConfig.from(new Env(proxies))).hasMessageStartingWith("TRUSTED_PROXIES");
        assertThatThrownBy(() -> ApiConfig.from(new Env(rate))).hasMessageStartingWith("RATE_LIMIT_TOKEN_PER_SECOND");
        assertThatThrownBy(() -> ApiConfig.from(new Env(burst))).hasMessageStartingWith("RATE_LIMIT_ANONYMOUS_BURST");
    }

    @Test
    void streamAndCorsSettingsAreValidated() {
        Map<String, String> heartbeat = minimal();
        heartbeat.put("SSE_HEARTBEAT_SECONDS", "60");
        Map<String, String> cors = minimal();
        cors.put("CORS_ALLOWED_ORIGINS", "app.example.com/path");
        Map<String, String> corsMixed = minimal();
        corsMixed.put("CORS_ALLOWED_ORIGINS", "*,https://app.example.com");
        Map<String, String> good = minimal();
        good.put("CORS_ALLOWED_ORIGINS", "https://app.example.com,http://localhost:3000");

        assertThatThrownBy(() -> ApiConfig.from(new Env(heartbeat))).hasMessageStartingWith("SSE_HEARTBEAT_SECONDS");
        assertThatThrownBy(() -> ApiConfig.from(new Env(cors))).hasMessageStartingWith("CORS_ALLOWED_ORIGINS");
        assertThatThrownBy(() -> ApiConfig.from(new Env(corsMixed))).hasMessageStartingWith("CORS_ALLOWED_ORIGINS");
        assertThat(ApiConfig.from(new Env(good)).corsAllowedOrigins()).hasSize(2);
    }

    @Test
    void toStringShowsNoSecret() {
        Map<String, String> env = minimal();
        env.put("ADMIN_TOKENS", "admin-secret-0123456789");
        env.put("READ_TOKENS", "read-secret-0123456789");
        String shown = ApiConfig.from(new Env(env)).toString();

        assertThat(shown).doesNotContain("db-secret").doesNotContain("redis-secret").doesNotContain("admin-secret")
                .doesNotContain("read-secret");
    }

    @Test
    void malformedValuesNameTheirVariable() {
        Map<String, String> port = minimal();
        port.put("HTTP_PORT", "eighty");
        Map<String, String> env = minimal();
        env.put("DEFAULT_ENVIRONMENT", "Prod");
        Map<String, String> token = minimal();
        token.put("ADMIN_TOKENS", "short");
        Map<String, String> missing = minimal();
        missing.remove("REDIS_URL");

        assertThatThrownBy(() -> ApiConfig.from(new Env(port))).isInstanceOf(ConfigException.class).hasMessageStartingWith("HTTP_PORT");
        assertThatThrownBy(() -> ApiConfig.from(new Env(env))).hasMessageStartingWith("DEFAULT_ENVIRONMENT");
        assertThatThrownBy(() -> ApiConfig.from(new Env(token))).hasMessageStartingWith("ADMIN_TOKENS");
        assertThatThrownBy(() -> ApiConfig.from(new Env(missing))).hasMessageStartingWith("REDIS_URL");
    }
}
