package dev.flagsync.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * PostgreSQL 15 from zonky's bundled binaries, configured for Debezium (wal_level=logical).
 * zonky cannot restart an instance, so stop() closes it and start() builds a new one on the same
 * port and data folder; zonky never deletes that folder, close() does.
 */
public final class EmbeddedPostgresServer extends EmbeddedServer implements Postgres {

    private EmbeddedPostgres server;

    private EmbeddedPostgresServer(int port, Path dataDir) {
        super("PostgreSQL", port, dataDir);
    }

    /** Starts a server on a free port with its data in a new temp folder. */
    public static EmbeddedPostgresServer startOnFreePort() {
        return startOn(Ports.free(), Directories.createTemp("flagsync-pg-"));
    }

    /** Starts a server on the given port with its data in dataDir, which close() deletes. */
    public static EmbeddedPostgresServer startOn(int port, Path dataDir) {
        return started(new EmbeddedPostgresServer(port, dataDir));
    }

    @Override
    protected void launch() {
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
                    // zonky turns this off; then a commit reaches the WAL (and change capture) only
                    // at the WAL writer's next tick, up to 200 ms later. With fsync off it costs nothing.
                    .setServerConfig("synchronous_commit", "on")
                    .setDataDirectoryCustomizer(PostgresBootstrap::writePgHba)
                    .start();
        } catch (IOException e) {
            throw new ServerException("PostgreSQL did not start on port " + port + " with data in " + dataDir, e);
        }
        if (fresh) {
            try {
                PostgresBootstrap.createRoleAndDatabase(port);
            } catch (RuntimeException e) {
                throw abandonLaunch(e);
            }
        }
    }

    @Override
    protected void shutdown() {
        try {
            server.close(); // pg_ctl stop -m fast; the data folder stays
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop PostgreSQL on port " + port, e);
        } finally {
            server = null;
        }
    }

    @Override
    public String jdbcUrl() {
        return PostgresBootstrap.jdbcUrl(port, PostgresBootstrap.DATABASE);
    }

    @Override
    public String user() {
        return PostgresBootstrap.USER;
    }

    @Override
    public String password() {
        return PostgresBootstrap.PASSWORD;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String createDatabase(String name) {
        PostgresBootstrap.createDatabase(port, name);
        return PostgresBootstrap.jdbcUrl(port, name);
    }
}
