package dev.flagsync.systemtests.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flagsync.systemtests.RunLocal;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A Node script of infra/system-tests/node/scripts running a real SDK from npm. A script takes
 * its settings from environment variables and prints one JSON object per line on stdout; each
 * line is kept with the {@link System#nanoTime()} at which it arrived. Its stderr goes to
 * {@code target/node-<script>-<n>.log}. Closing it kills the script.
 */
public final class NodeScript implements AutoCloseable {

    static final Path FOLDER = RunLocal.ROOT.resolve("infra/system-tests/node");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger RUNS = new AtomicInteger();

    private record Line(long nanos, JsonNode json) {
    }

    private final String script;
    private final Process process;
    private final Path log;
    private final List<Line> lines = new ArrayList<>();
    private final List<String> notJson = new ArrayList<>();
    private final Thread reader;

    private NodeScript(String script, Process process, Path log) {
        this.script = script;
        this.process = process;
        this.log = log;
        this.reader = Thread.ofPlatform().daemon().name("node-" + script).start(this::read);
    }

    /** Runs {@code node scripts/<script>} with the test JVM's environment and {@code env} over it. */
    public static NodeScript start(String script, Map<String, String> env) {
        if (!Files.isDirectory(FOLDER.resolve("node_modules"))) {
            throw new IllegalStateException(FOLDER.resolve("node_modules") + " is missing: run `npm ci` in " + FOLDER
                    + " (bin/test does this; it needs Node.js and npm)");
        }
        Path log = Path.of("target", "node-" + script.replace('/', '_') + "-" + RUNS.incrementAndGet() + ".log").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder("node", "scripts/" + script).directory(FOLDER.toFile())
                .redirectError(log.toFile());
        builder.environment().putAll(env);
        try {
            return new NodeScript(script, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not run node (is Node.js installed and on PATH?): scripts/" + script, e);
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String text = in.readLine(); text != null; text = in.readLine()) {
                long arrived = System.nanoTime();
                synchronized (this) {
                    try {
                        lines.add(new Line(arrived, JSON.readTree(text)));
                    } catch (IOException e) {
                        notJson.add(text);
                    }
                    notifyAll();
                }
            }
        } catch (IOException e) {
            synchronized (this) {
                notJson.add("(test: reading the output failed: " + e + ")");
            }
        }
    }

    /** The JSON lines printed so far. */
    public synchronized List<JsonNode> lines() {
        return lines.stream().map(Line::json).toList();
    }

    /** When line {@code index} of {@link #lines()} arrived, in {@link System#nanoTime()}. */
    public synchronized long nanos(int index) {
        return lines.get(index).nanos();
    }

    /** The first line matching, waiting up to {@code timeout}; fails early if the script ends without it. */
    public synchronized JsonNode awaitLine(Predicate<JsonNode> matches, Duration timeout) throws InterruptedException {
        return lines.get(awaitLineIndex(matches, timeout)).json();
    }

    /** As {@link #awaitLine}, but the index, for {@link #nanos(int)}. */
    public synchronized int awaitLineIndex(Predicate<JsonNode> matches, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int checked = 0; ; ) {
            for (; checked < lines.size(); checked++) {
                if (matches.test(lines.get(checked).json())) {
                    return checked;
                }
            }
            long left = deadline - System.nanoTime();
            if (!process.isAlive() && !reader.isAlive()) {
                throw new AssertionError("scripts/" + script + " exited with " + process.exitValue()
                        + " before printing the line; " + describe());
            }
            if (left <= 0) {
                throw new AssertionError("scripts/" + script + " printed no such line in " + timeout + "; " + describe());
            }
            wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
        }
    }

    /** Waits for the script to end by itself; returns its exit status. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("scripts/" + script + " still runs after " + timeout + "; " + describe());
        }
        reader.join(Duration.ofSeconds(5));
        return process.exitValue();
    }

    /** Its output so far and where its stderr is, for assertion messages. */
    public synchronized String describe() {
        String stderr;
        try {
            stderr = Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            stderr = "(unreadable: " + e + ")";
        }
        String tail = stderr.length() > 4000 ? "..." + stderr.substring(stderr.length() - 4000) : stderr;
        return "stdout JSON lines: " + lines.size() + ", other stdout: " + notJson + ", stderr (" + log + "):\n" + tail;
    }

    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
