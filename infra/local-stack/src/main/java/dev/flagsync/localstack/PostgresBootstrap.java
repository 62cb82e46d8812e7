package dev.flagsync.localstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * What a fresh embedded PostgreSQL needs to look like a real one: password authentication, and the
 * flagsync login role (REPLICATION, for Debezium) owning the flagsync database. The superuser
 * "postgres" stays trusted on 127.0.0.1 so this class can administer the server without a password.
 */
final class PostgresBootstrap {

    static final String USER = "flagsync";
    static final String PASSWORD = "flagsync";
    static final String DATABASE = "flagsync";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private PostgresBootstrap() {
    }

    /** Written into the data folder before every start (zonky's data directory customizer). */
    static void writePgHba(File dataDir) {
        String rules = """
                # Written by the flagsync local stack on every start.
                host  all          postgres  127.0.0.1/32  trust
                host  all          all       127.0.0.1/32  scram-sha-256
                host  replication  all       127.0.0.1/32  scram-sha-256
                """;
        try {
            Files.writeString(dataDir.toPath().resolve("pg_hba.conf"), rules);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write pg_hba.conf in " + dataDir, e);
        }
    }

    static void createRoleAndDatabase(int port) {
        asSuperuser(port, "CREATE ROLE " + USER + " LOGIN REPLICATION PASSWORD '" + PASSWORD + "'");
        asSuperuser(port, "CREATE DATABASE " + DATABASE + " OWNER " + USER);
    }

    static void createDatabase(int port, String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name must match " + DATABASE_NAME + ": " + name);
        }
        asSuperuser(port, "CREATE DATABASE " + name + " OWNER " + USER);
    }

    static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static void asSuperuser(int port, String sql) {
        // One statement per connection: CREATE DATABASE cannot run inside a transaction block.
        try (Connection connection = DriverManager.getConnection(jdbcUrl(port, "postgres"), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new ServerException("PostgreSQL on port " + port + " refused: " + sql.replace(PASSWORD, "***"), e);
        }
    }
}
