package dev.flagsync.localstack;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lifecycle shared by the embedded servers: start/stop keep the port and the data folder,
 * close() stops for good and deletes the folder, and the JVM shutdown hook closes what the
 * owner forgot. Subclasses only launch and shut down their server.
 */
abstract class EmbeddedServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServer.class);

    protected final int port;
    protected final Path dataDir;
    private final String name;
    private boolean running;
    private boolean closed;

    EmbeddedServer(String name, int port, Path dataDir) {
        this.name = name;
        this.port = port;
        this.dataDir = Directories.createDirectories(dataDir);
    }

    /** Registers the server for the shutdown hook and starts it; on failure nothing is left behind. */
    static <T extends EmbeddedServer> T started(T server) {
        ShutdownHooks.register(server);
        try {
            server.start();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Starts the server; returns once it accepts clients, or throws after stopping what it launched. */
    protected abstract void launch();

    /** Stops the server and waits for it; the data folder stays. */
    protected abstract void shutdown();

    /** For launch(): stops what a failed launch started, keeping the launch failure as the error. */
    protected final <E extends RuntimeException> E abandonLaunch(E failure) {
        try {
            shutdown();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    public final synchronized void start() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        if (running) {
            return;
        }
        long began = System.nanoTime();
        launch();
        running = true;
        LOG.info("{} ready in {} ms (data {})", this, (System.nanoTime() - began) / 1_000_000, dataDir);
    }

    public final synchronized void stop() {
        if (!running) {
            return;
        }
        try {
            shutdown();
        } finally {
            running = false;
        }
        LOG.info("{} stopped", this);
    }

    /**
     * As {@link #stop()}, but {@code crash} ends the server instead of its orderly shutdown, as a
     * crash would; the data folder stays for {@link #start()}.
     */
    protected final synchronized void stopAbruptly(Runnable crash) {
        if (!running) {
            return;
        }
        try {
            crash.run();
        } finally {
            running = false;
        }
        LOG.info("{} killed", this);
    }

    public final synchronized boolean isRunning() {
        return running;
    }

    @Override
    public final synchronized void close() {
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
    public String toString() {
        return name + " on 127.0.0.1:" + port;
    }
}
