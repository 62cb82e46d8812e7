package dev.flagsync.localstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A flagsync process (the API or the worker) as a child JVM: the same java as the caller, only
 * the given environment; always stopped, SIGTERM first so its shutdown hook runs. A test's child
 * writes to a log file; a launcher's child ({@link #startForwarding}) has its lines copied to the
 * launcher's output with its name in front.
 */
public final class ChildJvm implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final Logger LOG = LoggerFactory.getLogger(ChildJvm.class);

    private final String name;
    private final Process process;
    private final Path log;
    private final Thread forwarder;

    private ChildJvm(String name, Process process, Path log, Thread forwarder) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.forwarder = forwarder;
    }

    /**
     * Starts {@code java <args>} with exactly {@code env} (nothing inherited, so a test does not
     * depend on the shell it runs in), its output to {@code log}.
     */
    public static ChildJvm start(List<String> args, Map<String, String> env, Path log) {
        ProcessBuilder builder = builder(javaCommand(args), env);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            builder.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            return new ChildJvm(log.getFileName().toString(), builder.start(), log, null);
        } catch (IOException e) {
            throw new ServerException("could not start " + builder.command(), e);
        }
    }

    /**
     * For a launcher such as bin/run-local: starts {@code java <args>} with exactly {@code env}, in a
     * session of its own, so the Ctrl-C a terminal sends to its foreground job reaches only the
     * launcher, which then stops its children in order. Each output line goes to {@code out} as
     * {@code "<name> | <line>"}.
     */
    public static ChildJvm startForwarding(String name, List<String> args, Map<String, String> env, PrintStream out) {
        ProcessBuilder builder = builder(OwnSession.command(javaCommand(args)), env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ServerException("could not start " + name + ": " + builder.command(), e);
        }
        String prefix = String.format("%-7s| ", name);
        Thread forwarder = Thread.ofPlatform().daemon().name(name + "-output").start(() -> forward(process, prefix, out));
        return new ChildJvm(name, process, null, forwarder);
    }

    private static List<String> javaCommand(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(args);
        return command;
    }

    private static ProcessBuilder builder(List<String> command, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder;
    }

    private static void forward(Process process, String prefix, PrintStream out) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                out.println(prefix + line);
            }
        } catch (IOException e) {
            out.println(prefix + "(output lost: " + e.getMessage() + ")");
        }
    }

    /**
     * Blocks until {@code GET http://127.0.0.1:<port><path>} answers 200; fails at once if the
     * process exits, and on a timeout with the last answer (a readiness 503 names what it waits for).
     * Stops the process when it fails.
     */
    public void awaitHttpOk(int port, String path, Duration timeout) {
        URI uri = URI.create("http://127.0.0.1:" + port + path);
        AtomicReference<String> lastAnswer = new AtomicReference<>("none");
        try {
            Poll.until(name + " at " + uri, timeout, () -> {
                if (!process.isAlive()) {
                    throw new ServerException(name + " exited with " + process.exitValue()
                            + (log == null ? " (its output is above)" : "; see " + log.toAbsolutePath()));
                }
                return answersOk(uri, lastAnswer);
            });
        } catch (RuntimeException e) {
            close();
            throw new ServerException(e.getMessage() + "; last answer: " + lastAnswer.get(), e);
        }
    }

    private static boolean answersOk(URI uri, AtomicReference<String> lastAnswer) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            lastAnswer.set(response.statusCode() + " " + response.body());
            return response.statusCode() == 200;
        } catch (IOException e) {
            lastAnswer.set(e.toString()); // not listening yet
            return false;
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

    /** Completes when the process has exited, with its exit status. */
    public CompletableFuture<Integer> onExit() {
        return process.onExit().thenApply(Process::exitValue);
    }

    /** The log file of a child started with {@link #start}; null for a forwarding child. */
    public Path log() {
        return log;
    }

    /** SIGKILL: no shutdown hook runs, as when the OOM killer or a node failure ends a process. */
    public void kill() {
        process.toHandle().destroyForcibly();
        waitFor(Duration.ofSeconds(10));
    }

    /** SIGTERM, so shutdown hooks run; SIGKILL after 20 s. Returns once the process and its output have ended. */
    @Override
    public void close() {
        // Through the handle: Process.destroy() would also close our end of its output, losing its last lines.
        process.toHandle().destroy();
        if (!waitFor(STOP_TIMEOUT)) {
            LOG.warn("{} did not stop within {} s of SIGTERM; killing it", this, STOP_TIMEOUT.toSeconds());
            kill();
        }
        if (forwarder != null) {
            try {
                forwarder.join(Duration.ofSeconds(2)); // its last lines
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            process.toHandle().destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
