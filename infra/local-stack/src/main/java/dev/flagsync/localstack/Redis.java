package dev.flagsync.localstack;

/** A Redis server bound to 127.0.0.1. */
public interface Redis extends AutoCloseable {

    /** {@code redis://127.0.0.1:<port>}. */
    String url();

    int port();

    /** Stops the server; the port and the data stay reserved for {@link #start()}. */
    void stop();

    /** Starts a stopped server again on the same port with the same data; blocks until it answers PING. */
    void start();

    boolean isRunning();

    /** Stops the server and deletes its data. */
    @Override
    void close();
}
