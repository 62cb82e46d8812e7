package dev.flagsync.shared.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Where Redis is ({@code redis://[user:password@]host:port[/db]}, or {@code rediss://} for TLS)
 * and how long snapshots live there. {@link #toString()} never shows the password.
 */
public record RedisConfig(String host, int port, String user, String password, int database, boolean tls,
                          Duration snapshotTtl) {

    public static RedisConfig from(Env env) {
        URI uri = parse(env.required("REDIS_URL"));
        Duration ttl = Duration.ofSeconds(env.integer("CACHE_TTL_SECONDS", 300, 1, 7 * 24 * 3600));
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = parts[0].isEmpty() ? null : decode(parts[0]);
            password = parts.length == 2 ? decode(parts[1]) : null;
        }
        return new RedisConfig(uri.getHost(), uri.getPort() == -1 ? 6379 : uri.getPort(), user, password,
                database(uri), "rediss".equals(uri.getScheme()), ttl);
    }

    private static URI parse(String value) {
        try {
            URI uri = new URI(value);
            if (("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below without the value, which may hold a password
        }
        throw new ConfigException("REDIS_URL must look like redis://host:port (or rediss://, with optional user:password@ and /db)");
    }

    private static int database(URI uri) {
        String path = uri.getPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            return 0;
        }
        try {
            return Integer.parseInt(path.substring(1));
        } catch (NumberFormatException e) {
            throw new ConfigException("REDIS_URL database (the path after the port) must be a number");
        }
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "RedisConfig[" + (tls ? "rediss://" : "redis://") + (user == null ? "" : user + "@") + host + ":" + port
                + "/" + database + ", password=" + (password == null ? "none" : "***") + ", snapshotTtl=" + snapshotTtl + "]";
    }
}
