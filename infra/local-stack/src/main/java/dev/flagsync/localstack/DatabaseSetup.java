package dev.flagsync.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

    /** Demo tokens for both seeded environments, made the way an operator would: with flagsync_create_token. */
    static DemoTokens demoTokens(Postgres postgres) {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password())) {
            return new DemoTokens(createToken(connection, "demo-frontend", "frontend"),
                    createToken(connection, "demo-server", "server"));
        } catch (SQLException e) {
            throw new ServerException("could not create the demo tokens: " + e.getMessage(), e);
        }
    }

    private static String createToken(Connection connection, String name, String type) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT secret FROM flagsync_create_token(?, ?, ARRAY['development', 'production'])")) {
            statement.setString(1, name);
            statement.setString(2, type);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** The secrets of the demo tokens; shown once, in the banner, as a created token's secret is. */
    record DemoTokens(String frontend, String server) {
        @Override
        public String toString() {
            return "DemoTokens[frontend=***, server=***]";
        }
    }
}
