package dev.flagsync.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL 15 from zonky's bundled binaries, configured for Debezium (wal_level=logical).
 * zonky cannot restart an instance, so stop() closes it and start() builds a new one on the same
 * port and data folder; zonky never deletes that folder, this class does on close().
 */
public final class EmbeddedPostgresServer implements Postgres {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final String USER = "flagsync";
    private static final String PASSWORD = "flagsync";
    private static final String DATABASE = "flagsync";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final int port;
    private final Path dataDir;
    private EmbeddedPostgres server;
    private boolean closed;

    private EmbeddedPostgresServer(int port, Path dataDir) {
        this.port = port;
        this.dataDir = dataDir;
    }

    /** Starts a server on a free port with its data in a new temp folder. */
    public static EmbeddedPostgresServer startOnFreePort() {
        return startOn(Ports.free(), Directories.createTemp("flagsync-pg-"));
    }

    /** Starts a server on the given port with its data in dataDir, which close() deletes. */
    public static EmbeddedPostgresServer startOn(int port, Path dataDir) {
        EmbeddedPostgresServer postgres = new EmbeddedPostgresServer(port, Directories.createDirectories(dataDir));
        ShutdownHooks.register(postgres);
        try {
            postgres.start();
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
        return postgres;
    }

    @Override
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("PostgreSQL on port " + port + " is closed");
        }
        if (server != null) {
            return;
        }
        long began = System.nanoTime();
        boolean fresh = !Files.exists(dataDir.resolve("postgresql.conf"));
        try {
            server = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false) // ShutdownHooks closes us, which also deletes the data
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    // No Unix socket: nothing of ours in /tmp, and nothing left there if the JVM is killed.
                    .setServerConfig("unix_socket_directories", "''")
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("max_replication_slots", "10")
                    .setServerConfig("max_wal_senders", "10")
                    // A local or test server: speed matters more than surviving a power cut.
                    .setServerConfig("fsync", "off")
                    .setDataDirectoryCustomizer(PgHba::write)
                    .start();
        } catch (IOException e) {
            throw new ServerException("PostgreSQL did not start on port " + port + " with data in " + dataDir, e);
        }
        if (fresh) {
            createRoleAndDatabase();
        }
        LOG.info("PostgreSQL ready on 127.0.0.1:{} in {} ms (data {})", port, (System.nanoTime() - began) / 1_000_000, dataDir);
    }

    @Override
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.close(); // pg_ctl stop -m fast; the data folder stays
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop PostgreSQL on port " + port, e);
        } finally {
            server = null;
        }
        LOG.info("PostgreSQL on port {} stopped", port);
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            Directories.deleteRecursively(dataDir);
            ShutdownHooks.unregister(this);
        }
    }

    @Override
    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    @Override
    public String user() {
        return USER;
    }

    @Override
    public String password() {
        return PASSWORD;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String createDatabase(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name must match " + DATABASE_NAME + ": " + name);
        }
        superuserExecute("CREATE DATABASE " + name + " OWNER " + USER);
        return jdbcUrl(name);
    }

    @Override
    public String toString() {
        return "PostgreSQL on 127.0.0.1:" + port;
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private void createRoleAndDatabase() {
        superuserExecute("CREATE ROLE " + USER + " LOGIN REPLICATION PASSWORD '" + PASSWORD + "'");
        superuserExecute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
    }

    private void superuserExecute(String sql) {
        // The superuser "postgres" is trusted on 127.0.0.1 only (see PgHba); CREATE DATABASE cannot run in a transaction.
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new ServerException("PostgreSQL on port " + port + " refused: " + sql.replace(PASSWORD, "***"), e);
        }
    }

    /** Writes pg_hba.conf: password (SCRAM) for everyone but the local superuser, like a real server. */
    private static final class PgHba {

        static void write(File dataDir) {
            String rules = """
                    # Written by flagsync local stack on every start.
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
    }
}
