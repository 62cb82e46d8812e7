package dev.flagsync.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Brings the local database to the project's schema (Flyway, the only source of it) and adds the demo flags. */
final class DatabaseSetup {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseSetup.class);

    private DatabaseSetup() {
    }

    static void migrate(Postgres postgres, Path migrations) {
        MigrateResult result = Flyway.configure()
                .dataSource(postgres.jdbcUrl(), postgres.user(), postgres.password())
                .locations("filesystem:" + migrations)
                .load()
                .migrate();
        LOG.info("applied {} migration(s) from {}, schema version {}", result.migrationsExecuted, migrations,
                result.targetSchemaVersion);
    }

    static void seed(Postgres postgres, Path seedFile) {
        String sql;
        try {
            sql = Files.readString(seedFile);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + seedFile, e);
        }
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new ServerException("seed " + seedFile + " failed: " + e.getMessage(), e);
        }
        LOG.info("seeded demo flags from {}", seedFile);
    }
}
