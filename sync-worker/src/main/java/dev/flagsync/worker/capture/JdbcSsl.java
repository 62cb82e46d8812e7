package dev.flagsync.worker.capture;

import dev.flagsync.shared.config.ConfigException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DATABASE_URL's TLS parameters as Debezium's connector settings: Debezium opens its own
 * connections from host, port and database, so without these it would use its default
 * ({@code prefer}) whatever the JDBC URL asks for.
 */
public final class JdbcSsl {

    private static final List<String> MODES = List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    private JdbcSsl() {
    }

    /** {@code database.sslmode} and {@code database.sslrootcert}, when the URL sets them. */
    public static Map<String, String> debeziumProperties(String jdbcUrl) {
        Map<String, String> query = query(jdbcUrl);
        Map<String, String> p = new LinkedHashMap<>();
        String mode = query.get("sslmode");
        // pgjdbc treats ssl=true without an sslmode as verify-full; so must Debezium.
        if (mode == null && "true".equalsIgnoreCase(query.get("ssl"))) {
            mode = "verify-full";
        }
        if (mode != null) {
            if (!MODES.contains(mode)) {
                throw new ConfigException("DATABASE_URL sslmode must be one of " + String.join(", ", MODES));
            }
            p.put("database.sslmode", mode);
        }
        if (query.containsKey("sslrootcert")) {
            p.put("database.sslrootcert", query.get("sslrootcert"));
        }
        return p;
    }

    private static Map<String, String> query(String jdbcUrl) {
        Map<String, String> params = new LinkedHashMap<>();
        int start = jdbcUrl.indexOf('?');
        if (start < 0) {
            return params;
        }
        for (String pair : jdbcUrl.substring(start + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }
}
