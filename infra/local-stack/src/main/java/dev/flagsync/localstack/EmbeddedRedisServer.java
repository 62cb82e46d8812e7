package dev.flagsync.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * redis-server 7 (the binary bundled in embedded-redis) run as a child process with its config,
 * RDB file and log in its own folder. embedded-redis's own RedisServer keeps its dump in the
 * binary's folder and cannot be given a data folder, so it is only used for the binary.
 */
public final class EmbeddedRedisServer implements Redis {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedisServer.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

    private final int port;
    private final Path dataDir;
    private Process process;
    private boolean closed;

    private EmbeddedRedisServer(int port, Path dataDir) {
        this.port = port;
        this.dataDir = dataDir;
    }

    /** Starts a server on a free port with its data in a new temp folder. */
    public static EmbeddedRedisServer startOnFreePort() {
        return startOn(Ports.free(), Directories.createTemp("flagsync-redis-"));
    }

    /** Starts a server on the given port with its data in dataDir, which close() deletes. */
    public static EmbeddedRedisServer startOn(int port, Path dataDir) {
        EmbeddedRedisServer redis = new EmbeddedRedisServer(port, Directories.createDirectories(dataDir));
        ShutdownHooks.register(redis);
        try {
            redis.start();
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
        return redis;
    }

    @Override
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("Redis on port " + port + " is closed");
        }
        if (process != null) {
            return;
        }
        long began = System.nanoTime();
        try {
            Path config = writeConfig();
            process = new ProcessBuilder(RedisBinary.path().toString(), config.toString())
                    .directory(dataDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("redis.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new ServerException("Redis did not start on port " + port, e);
        }
        try {
            Poll.until("Redis on port " + port, STARTUP_TIMEOUT, () -> {
                if (!process.isAlive()) {
                    throw new ServerException("Redis on port " + port + " exited with " + process.exitValue()
                            + ", see " + dataDir.resolve("redis.log"));
                }
                return answersPing();
            });
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        LOG.info("Redis ready on 127.0.0.1:{} in {} ms (data {})", port, (System.nanoTime() - began) / 1_000_000, dataDir);
    }

    @Override
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        // SIGTERM: redis-server saves the RDB (a save point is configured) and exits, so start() finds the data.
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                LOG.warn("Redis on port {} ignored SIGTERM for 30 s, killing it", port);
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            process = null;
        }
        LOG.info("Redis on port {} stopped", port);
    }

    @Override
    public synchronized boolean isRunning() {
        return process != null;
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
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String toString() {
        return "Redis on 127.0.0.1:" + port;
    }

    private Path writeConfig() throws IOException {
        String config = """
                bind 127.0.0.1
                port %d
                dir "%s"
                dbfilename dump.rdb
                save 3600 1
                appendonly no
                daemonize no
                pidfile "%s"
                """.formatted(port, dataDir, dataDir.resolve("redis.pid"));
        return Files.writeString(dataDir.resolve("redis.conf"), config);
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return "+PONG\r\n".equals(new String(reply, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return false;
        }
    }
}
