package dev.flagsync.api;

import dev.flagsync.api.access.AccessConfig;
import dev.flagsync.shared.config.ConfigException;
import dev.flagsync.shared.config.DatabaseConfig;
import dev.flagsync.shared.config.Env;
import dev.flagsync.shared.config.RedisConfig;
import dev.flagsync.shared.flag.FlagNames;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything the API process is configured with, read once from the environment at start.
 * {@link #toString()} is safe to log: tokens and passwords are never shown.
 */
public record ApiConfig(
        DatabaseConfig database,
        RedisConfig redis,
        String httpHost,
        int httpPort,
        List<String> adminTokens,
        List<String> readTokens,
        String defaultEnvironment,
        Duration memoryTtl,
        Duration redisCommandTimeout,
        int sseMaxConnections,
        Duration sseHeartbeat,
        Duration sseMaxLifetime,
        List<String> corsAllowedOrigins,
        boolean benchmarkEndpoints,
        Optional<Path> snapshotBackupDir,
        AccessConfig access) {

    public static ApiConfig from(Env env) {
        String defaultEnvironment = env.optional("DEFAULT_ENVIRONMENT", "production");
        if (!FlagNames.isEnvironment(defaultEnvironment)) {
            throw new ConfigException("DEFAULT_ENVIRONMENT must match ^[a-z0-9][a-z0-9_-]{0,62}$");
        }
        List<String> adminTokens = tokens(env, "ADMIN_TOKENS");
        List<String> readTokens = tokens(env, "READ_TOKENS");
        return new ApiConfig(
                DatabaseConfig.from(env),
                RedisConfig.from(env),
                env.optional("HTTP_HOST", "0.0.0.0"),
                env.integer("HTTP_PORT", 8080, 0, 65535),
                adminTokens,
                readTokens,
                defaultEnvironment,
                Duration.ofMillis(env.integer("MEMORY_CACHE_TTL_MS", 10_000, 0, 3_600_000)),
                Duration.ofMillis(env.integer("REDIS_COMMAND_TIMEOUT_MS", 250, 10, 10_000)),
                env.integer("SSE_MAX_CONNECTIONS", 10_000, 1, 1_000_000),
                // At most 25 s: the contract promises a heartbeat at least every 30 s, and Jetty's
                // 30 s idle timeout would otherwise end quiet streams.
                Duration.ofSeconds(env.integer("SSE_HEARTBEAT_SECONDS", 5, 1, 25)),
                Duration.ofSeconds(env.integer("SSE_MAX_LIFETIME_SECONDS", 3600, 1, 86_400)),
                corsOrigins(env),
                bool(env, "BENCHMARK_ENDPOINTS"),
                path(env, "SNAPSHOT_BACKUP_DIR"),
                AccessConfig.from(env, !readTokens.isEmpty()));
    }

    private static Optional<Path> path(Env env, String name) {
        String value = env.optional(name, null);
        try {
            return value == null ? Optional.empty() : Optional.of(Path.of(value).toAbsolutePath());
        } catch (InvalidPathException e) {
            throw new ConfigException(name + " must be a folder path");
        }
    }

    private static List<String> tokens(Env env, String name) {
        List<String> tokens = env.list(name);
        if (tokens.stream().anyMatch(t -> t.length() < 16)) {
            throw new ConfigException(name + " entries must be at least 16 characters long");
        }
        return tokens;
    }

    /** Either "*" alone or origins such as https://app.example.com:8443 (scheme, host, optional port). */
    private static List<String> corsOrigins(Env env) {
        List<String> origins = env.list("CORS_ALLOWED_ORIGINS");
        boolean valid = origins.equals(List.of("*"))
                || origins.stream().allMatch(o -> o.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?"));
        if (!valid) {
            throw new ConfigException("CORS_ALLOWED_ORIGINS must be * or a comma list of origins such as https://app.example.com");
        }
        return origins;
    }

    private static boolean bool(Env env, String name) {
        String value = env.optional(name, "false");
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(name + " must be true or false");
        };
    }

    @Override
    public String toString() {
        return "ApiConfig[" + database + ", " + redis + ", http=" + httpHost + ":" + httpPort
                + ", adminTokens=" + adminTokens.size() + " configured, readTokens=" + readTokens.size() + " configured"
                + ", defaultEnvironment=" + defaultEnvironment + ", memoryTtl=" + memoryTtl
                + ", redisCommandTimeout=" + redisCommandTimeout + ", sseMaxConnections=" + sseMaxConnections
                + ", sseHeartbeat=" + sseHeartbeat + ", sseMaxLifetime=" + sseMaxLifetime
                + ", corsAllowedOrigins=" + corsAllowedOrigins + ", benchmarkEndpoints=" + benchmarkEndpoints
                + ", snapshotBackupDir=" + snapshotBackupDir.map(Path::toString).orElse("off") + ", " + access + "]";
    }
}
