package dev.flagsync.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A flagsync process (the API or the worker) as a child JVM of a test or benchmark: the same
 * java as the caller, only the given environment, output to a log file; always stopped.
 */
public final class ChildJvm implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java <args>} with exactly {@code env} (nothing inherited, so a test does not
     * depend on the shell it runs in).
     */
    public static ChildJvm start(List<String> args, Map<String, String> env, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            builder.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            return new ChildJvm(builder.start(), log);
        } catch (IOException e) {
            throw new ServerException("could not start " + command, e);
        }
    }

    /** Blocks until {@code GET http://127.0.0.1:<port><path>} answers 200; fails at once if the process exits. */
    public void awaitHttpOk(int port, String path, Duration timeout) {
        URI uri = URI.create("http://127.0.0.1:" + port + path);
        try {
            Poll.until(uri.toString(), timeout, () -> {
                if (!process.isAlive()) {
                    throw new ServerException("the process exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
                }
                return answersOk(uri);
            });
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static boolean answersOk(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** SIGKILL: no shutdown hook runs, as when the OOM killer or a node failure ends a process. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
    }

    /** SIGTERM, so shutdown hooks run; SIGKILL after 20 s. */
    @Override
    public void close() {
        process.destroy();
        if (!waitFor(Duration.ofSeconds(20))) {
            kill();
        }
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
