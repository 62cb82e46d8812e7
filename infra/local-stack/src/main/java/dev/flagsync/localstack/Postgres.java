package dev.flagsync.localstack;

/**
 * A PostgreSQL server with logical decoding enabled and a {@code flagsync} database owned by the
 * {@code flagsync} login role (password {@code flagsync}, with REPLICATION for Debezium).
 */
public interface Postgres extends AutoCloseable {

    /** JDBC URL of the {@code flagsync} database. */
    String jdbcUrl();

    String user();

    String password();

    int port();

    /** Creates a fresh database owned by the flagsync user and returns its JDBC URL. */
    String createDatabase(String name);

    /** Stops the server; the port and the data stay reserved for {@link #start()}. */
    void stop();

    /** Starts a stopped server again on the same port with the same data; blocks until it accepts connections. */
    void start();

    boolean isRunning();

    /** Stops the server and deletes its data. */
    @Override
    void close();
}
