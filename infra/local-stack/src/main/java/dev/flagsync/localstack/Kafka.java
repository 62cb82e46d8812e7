package dev.flagsync.localstack;

/** A single-node Kafka cluster (KRaft) with every replication factor 1 and topic auto-creation on. */
public interface Kafka extends AutoCloseable {

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    String bootstrapServers();

    /** Stops the broker; the port, topics and records stay for {@link #start()}. */
    void stop();

    /** Starts a stopped broker again on the same port with the same data; blocks until clients can use it. */
    void start();

    boolean isRunning();

    /** Stops the broker and deletes its data. */
    @Override
    void close();
}
