package dev.flagsync.localstack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** CPU time and resident memory of a process, from Linux's /proc. */
public final class ProcessStats {

    /** Linux's USER_HZ: /proc counts CPU time in ticks of 1/100 s on every common build. */
    private static final double TICKS_PER_SECOND = 100;

    private ProcessStats() {
    }

    /** User plus system CPU time the process has used so far, in seconds. */
    public static double cpuSeconds(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }

    /** Resident set size in bytes (VmRSS). */
    public static long rssBytes(long pid) {
        return read(Path.of("/proc", Long.toString(pid), "status")).lines()
                .filter(line -> line.startsWith("VmRSS:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024)
                .findFirst().orElseThrow(() -> new IllegalStateException("no VmRSS for process " + pid));
    }

    /** The share of one core the process used over {@code period} (0.02 = 2 %). Blocks for the period. */
    public static double coreShare(long pid, Duration period) throws InterruptedException {
        double before = cpuSeconds(pid);
        long started = System.nanoTime();
        Thread.sleep(period);
        double used = cpuSeconds(pid) - before;
        return used / ((System.nanoTime() - started) / 1e9);
    }

    /**
     * CPU seconds each of the process's threads used over {@code period}, by thread name (threads of
     * one name summed, digits folded to '#' so pools add up), the busiest first. Blocks for the period.
     */
    public static Map<String, Double> busiestThreads(long pid, Duration period) throws InterruptedException {
        Map<Long, String> names = new HashMap<>();
        Map<Long, Double> before = threadTicks(pid, names);
        Thread.sleep(period);
        Map<Long, Double> after = threadTicks(pid, names);
        Map<String, Double> byName = new HashMap<>();
        after.forEach((tid, seconds) -> byName.merge(names.get(tid).replaceAll("\\d+", "#"),
                seconds - before.getOrDefault(tid, 0.0), Double::sum));
        Map<String, Double> sorted = new LinkedHashMap<>();
        byName.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static Map<Long, Double> threadTicks(long pid, Map<Long, String> names) {
        Map<Long, Double> ticks = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    long tid = Long.parseLong(task.getFileName().toString());
                    names.put(tid, stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.put(tid, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND);
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ticks;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
