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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * redis-server 7 (the binary bundled in embedded-redis) run as a child process with its config,
 * RDB file and log in its own folder. embedded-redis's own RedisServer keeps its dump next to a
 * per-run copy of the binary and cannot be given a data folder, so only its binary is used.
 */
public final class EmbeddedRedisServer extends EmbeddedServer implements Redis {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedisServer.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

    private Process process;

    private EmbeddedRedisServer(int port, Path dataDir) {
        super("Redis", port, dataDir);
    }

    /** Starts a server on a free port with its data in a new temp folder. */
    public static EmbeddedRedisServer startOnFreePort() {
        return startOn(Ports.free(), Directories.createTemp("flagsync-redis-"));
    }

    /** Starts a server on the given port with its data in dataDir, which close() deletes. */
    public static EmbeddedRedisServer startOn(int port, Path dataDir) {
        return started(new EmbeddedRedisServer(port, dataDir));
    }

    @Override
    protected void launch() {
        Path log = dataDir.resolve("redis.log");
        try {
            // Its own session: Ctrl-C on bin/run-local must not stop Redis before the API and worker that use it.
            process = new ProcessBuilder(OwnSession.command(List.of(RedisBinary.path().toString(), writeConfig().toString())))
                    .directory(dataDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new ServerException("Redis did not start on port " + port, e);
        }
        try {
            Poll.until(toString(), STARTUP_TIMEOUT, () -> {
                if (!process.isAlive()) {
                    throw new ServerException(this + " exited with " + process.exitValue() + ", see " + log);
                }
                return answersPing();
            });
        } catch (RuntimeException e) {
            throw abandonLaunch(e);
        }
    }

    @Override
    protected void shutdown() {
        // SIGTERM: redis-server saves the RDB (a save point is configured) and exits, so start() finds the data.
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                LOG.warn("{} ignored SIGTERM for 30 s, killing it", this);
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            process = null;
        }
    }

    /**
     * SIGKILL, as the OOM killer would end it: no save on the way out, so start() comes back with
     * the last RDB written before (none, with the one-hour save point, in a short run).
     */
    public void kill() {
        stopAbruptly(() -> {
            try {
                process.destroyForcibly().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                process = null;
            }
        });
    }

    /** The redis-server process id while it runs. */
    public long pid() {
        Process running = process;
        if (running == null) {
            throw new IllegalStateException(this + " is not running");
        }
        return running.pid();
    }

    @Override
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public int port() {
        return port;
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
            return "+PONG\r\n".equals(new String(in.readNBytes(7), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return false; // not listening yet, or still loading the RDB
        }
    }
}
