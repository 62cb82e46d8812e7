package dev.flagsync.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data folder of one bin/run-local (or bin/chaos) run, and its record of the processes it
 * started (name, pid, start time). A launcher killed with SIGKILL can neither stop its children nor
 * delete its folder, so the next run of either sweeps: it stops what a dead run recorded, newest
 * first, but only a process whose pid and start time both still match, then deletes the folder.
 */
public final class RunFolder implements AutoCloseable {

    static final String PREFIX = "flagsync-run-";
    private static final String RECORD = "processes";
    private static final String LAUNCHER = "launcher";
    private static final Logger LOG = LoggerFactory.getLogger(RunFolder.class);

    private final Path dir;

    private RunFolder(Path dir) {
        this.dir = dir;
    }

    /** A new folder {@code flagsync-run-local-*} under parent, with this JVM recorded as its launcher. */
    static RunFolder create(Path parent) {
        return create(parent, "local");
    }

    /** A new folder {@code flagsync-run-<kind>-*} under parent, with this JVM recorded as its launcher. */
    public static RunFolder create(Path parent, String kind) {
        return create(parent, kind, ProcessHandle.current());
    }

    static RunFolder create(Path parent, ProcessHandle launcher) {
        return create(parent, "local", launcher);
    }

    private static RunFolder create(Path parent, String kind, ProcessHandle launcher) {
        try {
            RunFolder folder = new RunFolder(Files.createTempDirectory(parent, PREFIX + kind + "-"));
            folder.record(LAUNCHER, launcher);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a folder in " + parent, e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** Adds a process to the record, for the sweep of a run that dies without stopping it. */
    public void record(String name, ProcessHandle process) {
        String started = process.info().startInstant().map(instant -> Long.toString(instant.toEpochMilli())).orElse("?");
        try {
            Files.writeString(dir.resolve(RECORD), name + " " + process.pid() + " " + started + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + dir.resolve(RECORD), e);
        }
    }

    /** Records the process whose pid is the first line of pidFile (PostgreSQL's and Redis's own pid files). */
    public void recordPidFile(String name, Path pidFile) {
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
            ProcessHandle.of(pid).ifPresent(process -> record(name, process));
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not read the pid of {} from {}; a hard-killed run would leave it running: {}", name, pidFile,
                    e.toString());
        }
    }

    /** Stops what runs whose launcher has died left behind in parent, and deletes their folders. */
    public static void sweep(Path parent) {
        List<Path> folders;
        try (Stream<Path> list = Files.list(parent)) {
            folders = list.filter(path -> path.getFileName().toString().startsWith(PREFIX)).toList();
        } catch (IOException e) {
            LOG.warn("could not look for what earlier runs left in {}: {}", parent, e.toString());
            return;
        }
        for (Path folder : folders) {
            List<Recorded> recorded = read(folder.resolve(RECORD));
            boolean abandoned = !recorded.isEmpty() && recorded.getFirst().name().equals(LAUNCHER)
                    && recorded.getFirst().running().isEmpty();
            if (abandoned) {
                List<String> stopped = new ArrayList<>();
                recorded.reversed().forEach(process -> process.running().ifPresent(handle -> {
                    stop(handle);
                    stopped.add(process.name() + " (pid " + handle.pid() + ")");
                }));
                Directories.deleteRecursively(folder);
                LOG.warn("a run killed earlier left {}; stopped {} and deleted it", folder, stopped.isEmpty() ? "nothing" : stopped);
            }
        }
    }

    private static void stop(ProcessHandle process) {
        process.destroy(); // SIGTERM: PostgreSQL's smart shutdown (its clients were stopped first), Redis saves and exits
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static List<Recorded> read(Path record) {
        if (!Files.isRegularFile(record)) {
            return List.of(); // a folder another run is creating right now, or not ours
        }
        try {
            return Files.readAllLines(record).stream().map(line -> line.split(" ")).filter(fields -> fields.length == 3)
                    .map(fields -> new Recorded(fields[0], Long.parseLong(fields[1]), fields[2])).toList();
        } catch (IOException | NumberFormatException e) {
            LOG.warn("could not read {}: {}", record, e.toString());
            return List.of();
        }
    }

    /** A recorded process; running() only while the same pid has the same start time, never a reused pid. */
    private record Recorded(String name, long pid, String started) {
        Optional<ProcessHandle> running() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(handle -> handle.info().startInstant()
                    .map(instant -> Long.toString(instant.toEpochMilli()).equals(started)).orElse(false));
        }
    }

    @Override
    public void close() {
        Directories.deleteRecursively(dir);
    }

    @Override
    public String toString() {
        return "data folder " + dir;
    }
}
