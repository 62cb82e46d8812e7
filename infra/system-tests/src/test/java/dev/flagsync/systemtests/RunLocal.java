package dev.flagsync.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flagsync.localstack.Ports;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * bin/run-local as a user runs it from a terminal, on free ports and with a TMPDIR of its own, so
 * it runs beside a user's bin/run-local. It runs in a session of its own, so that
 * {@link #interrupt()} signals its whole process group exactly as Ctrl-C does. Every output line
 * is kept with the time it arrived, and copied to a log file.
 */
public final class RunLocal implements AutoCloseable {

    /** The repository root: Failsafe runs in infra/system-tests. */
    public static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();
    static final List<String> PORT_VARIABLES = List.of("FLAGSYNC_PG_PORT", "FLAGSYNC_REDIS_PORT", "FLAGSYNC_KAFKA_PORT",
            "FLAGSYNC_KAFKA_CONTROLLER_PORT", "FLAGSYNC_HTTP_PORT", "FLAGSYNC_WORKER_METRICS_PORT");
    /** What the servers extract once per TMPDIR and keep on purpose, to start fast the next time. */
    private static final Set<String> BINARY_CACHES = Set.of("embedded-pg", "flagsync-redis-7.0.15");

    /** One output line and when the test read it. */
    public record Line(long nanos, String text) {
    }

    private final Process process;
    private final Path tmp;
    private final Map<String, Integer> ports;
    private final long startedNanos;
    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private RunLocal(Process process, Path tmp, Map<String, Integer> ports, long startedNanos, Path log) {
        this.process = process;
        this.tmp = tmp;
        this.ports = ports;
        this.startedNanos = startedNanos;
        this.reader = Thread.ofPlatform().daemon().name("run-local-output").start(() -> copyOutput(log));
    }

    /**
     * Starts {@code bin/run-local args} with the test JVM's environment, a free port for every
     * FLAGSYNC_*_PORT and a new TMPDIR under target/, then {@code env} over them.
     */
    public static RunLocal start(List<String> args, Map<String, String> env, String logName) {
        Map<String, Integer> ports = freePorts();
        List<String> command = new ArrayList<>(List.of("setsid", ROOT.resolve("bin/run-local").toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        try {
            Path tmp = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "run-local-tmp-");
            ports.forEach((name, port) -> builder.environment().put(name, port.toString()));
            builder.environment().put("TMPDIR", tmp.toString());
            builder.environment().putAll(env);
            Path log = Path.of("target", logName + ".log");
            long started = System.nanoTime();
            return new RunLocal(builder.start(), tmp, ports, started, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    private static Map<String, Integer> freePorts() {
        Set<Integer> taken = new LinkedHashSet<>();
        Map<String, Integer> byName = new LinkedHashMap<>();
        for (String name : PORT_VARIABLES) {
            int port = Ports.free();
            while (!taken.add(port)) {
                port = Ports.free();
            }
            byName.put(name, port);
        }
        return byName;
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

    public int port(String variable) {
        return ports.get(variable);
    }

    long startedNanos() {
        return startedNanos;
    }

    /** The first line matching, waiting for it; fails early when the script exits without it. */
    public Line awaitLine(Predicate<String> matches, Duration timeout) throws InterruptedException {
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

    public String output() {
        return String.join("\n", lines.stream().map(Line::text).toList());
    }

    /**
     * The script (then the launcher JVM it becomes), every process below it, and every process
     * naming its TMPDIR (PostgreSQL, which pg_ctl detaches from its parent), right now.
     */
    List<ProcessHandle> processes() {
        return Stream.of(Stream.of(process.toHandle()), process.descendants(), processesMentioningTmp().stream())
                .flatMap(s -> s).distinct().toList();
    }

    List<ProcessHandle> processesMentioningTmp() {
        String name = tmp.toString();
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().map(line -> line.contains(name)).orElse(false))
                .toList();
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

    /** After the script has exited: none of {@code seen} runs, no port is held, TMPDIR holds only the binary caches. */
    void assertNothingLeft(List<ProcessHandle> seen) throws IOException {
        await("every process of the stack to end").atMost(Duration.ofSeconds(30))
                .until(() -> seen.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(processesMentioningTmp()).as("processes still naming " + tmp).isEmpty();
        ports.forEach((name, port) -> Ports.requireFree(port, name));
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(path -> path.getFileName().toString()).filter(name -> !BINARY_CACHES.contains(name)))
                    .as("what bin/run-local left in its TMPDIR " + tmp).isEmpty();
        }
    }

    /**
     * Stops whatever a failed test left running (Ctrl-C first, then SIGKILL for the group and every
     * process seen), then deletes the TMPDIR with the binaries extracted into it.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        if (process.isAlive()) {
            List<ProcessHandle> seen = processes();
            interrupt();
            if (awaitExit(Duration.ofSeconds(60)).isEmpty()) {
                signalGroup("KILL");
                seen.forEach(ProcessHandle::destroyForcibly);
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        try (Stream<Path> all = Files.walk(tmp)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
