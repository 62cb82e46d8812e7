package dev.flagsync.systemtests;

import java.io.BufferedReader;
import java.io.BufferedWriter;
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
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * bin/run-local as a user runs it from a terminal: in a session of its own, so that
 * {@link #interrupt()} sends SIGINT to its whole process group exactly as Ctrl-C does. Every
 * output line is kept with the time it arrived, and copied to a log file.
 */
final class RunLocal implements AutoCloseable {

    /** The repository root: Failsafe runs in infra/system-tests. */
    static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();

    /** One output line and when the test read it. */
    record Line(long nanos, String text) {
    }

    private final Process process;
    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private RunLocal(Process process, Path log) {
        this.process = process;
        this.reader = Thread.ofPlatform().daemon().name("run-local-output").start(() -> copyOutput(log));
    }

    /** Starts {@code bin/run-local args} with the test JVM's environment plus {@code env}. */
    static RunLocal start(List<String> args, Map<String, String> env, Path log) {
        List<String> command = new ArrayList<>(List.of("setsid", ROOT.resolve("bin/run-local").toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            return new RunLocal(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    private void copyOutput(Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(new Line(System.nanoTime(), line));
                out.write(line);
                out.newLine();
                out.flush();
            }
        } catch (IOException e) {
            lines.add(new Line(System.nanoTime(), "(test: reading the output failed: " + e + ")"));
        }
    }

    /** The first line matching, waiting for it; fails early when the script exits without it. */
    Line awaitLine(Predicate<String> matches, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Line> found = lines.stream().filter(line -> matches.test(line.text())).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (!process.isAlive()) {
                reader.join(Duration.ofSeconds(5));
                found = lines.stream().filter(line -> matches.test(line.text())).findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
                throw new AssertionError("bin/run-local exited with " + process.exitValue()
                        + " before the line was printed; its output:\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no such line after " + timeout.toSeconds() + " s; output so far:\n" + output());
            }
            process.waitFor(20, TimeUnit.MILLISECONDS);
        }
    }

    String output() {
        return String.join("\n", lines.stream().map(Line::text).toList());
    }

    long pid() {
        return process.pid();
    }

    /** The script (then the launcher JVM it becomes) and every process below it, right now. */
    List<ProcessHandle> processTree() {
        return Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
    }

    /** SIGINT to the whole process group, as Ctrl-C in a terminal sends it. */
    void interrupt() throws IOException, InterruptedException {
        signalGroup("INT");
    }

    private void signalGroup(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + process.pid())
                .redirectErrorStream(true).start();
        kill.waitFor(10, TimeUnit.SECONDS);
    }

    /** The exit status, or empty if the script still runs after the timeout. */
    Optional<Integer> awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return Optional.empty();
        }
        reader.join(Duration.ofSeconds(5));
        return Optional.of(process.exitValue());
    }

    /** Whatever a failed test left running: Ctrl-C first, then SIGKILL for the group and every descendant. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> tree = processTree();
        interrupt();
        if (awaitExit(Duration.ofSeconds(60)).isEmpty()) {
            signalGroup("KILL");
            tree.forEach(ProcessHandle::destroyForcibly);
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
