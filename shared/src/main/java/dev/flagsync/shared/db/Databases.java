package dev.flagsync.shared.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.flagsync.shared.config.DatabaseConfig;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Connection pools with short timeouts, and the Flyway migrations that own the schema. */
public final class Databases {

    private Databases() {
    }

    /**
     * A pool that fails fast when PostgreSQL is down: a reader falls back to another tier
     * rather than queue behind a dead database.
     */
    public static HikariDataSource pool(DatabaseConfig config, String name, int maxSize) {
        return pool(config, name, maxSize, Duration.ofSeconds(2));
    }

    /**
     * @param connectionTimeout how long a caller waits for a connection before failing, also when
     *                          PostgreSQL is down; a read path that has another tier to try wants it short
     */
    public static HikariDataSource pool(DatabaseConfig config, String name, int maxSize, Duration connectionTimeout) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(name);
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(maxSize);
        hikari.setMinimumIdle(Math.min(2, maxSize));
        hikari.setConnectionTimeout(connectionTimeout.toMillis());
        hikari.setValidationTimeout(Duration.ofMillis(1000).toMillis());
        // Start even when the database is down: the API can still serve from Redis.
        hikari.setInitializationFailTimeout(-1);
        hikari.addDataSourceProperty("connectTimeout", "2");
        hikari.addDataSourceProperty("socketTimeout", "10");
        hikari.addDataSourceProperty("tcpKeepAlive", "true");
        hikari.addDataSourceProperty("ApplicationName", name);
        return new HikariDataSource(hikari);
    }

    /** Applies the migrations under classpath db/migration; safe to run from several processes at once. */
    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }
}
