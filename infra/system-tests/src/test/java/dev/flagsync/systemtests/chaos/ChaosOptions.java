package dev.flagsync.systemtests.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * What one chaos run does, from bin/chaos's command line; a bad value stops it with the flag's name.
 *
 * @param hold         how long each fault lasts before it is undone (and the baseline runs)
 * @param environments how many environments the writer changes, one writing connection each
 * @param rate         commits per second per environment
 * @param readers      threads reading snapshots over HTTP, each as often as {@code readRate} allows
 * @param readRate     GETs per second per reader
 * @param sseClients   open Server-Sent Events streams, spread over the environments
 * @param catchUp      how long, after a fault is undone, readers may take to see every change made so far
 * @param logs         where the API's and the workers' logs go (kept after the run; the data is not)
 */
record ChaosOptions(Duration hold, int environments, int rate, int readers, int readRate, int sseClients,
                    Duration catchUp, Path logs) {

    static final String USAGE = """
            usage: bin/chaos [--hold SECONDS (10)] [--environments N (4)] [--rate COMMITS/S PER ENVIRONMENT (10)]
                             [--readers N (4)] [--read-rate GETS/S PER READER (50)] [--sse N (30)]
                             [--catch-up SECONDS (180)] [--logs DIR (infra/system-tests/target/chaos)]""";

    private static final Set<String> FLAGS = Set.of("--hold", "--environments", "--rate", "--readers", "--read-rate",
            "--sse", "--catch-up", "--logs");

    static ChaosOptions parse(List<String> args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            if (!FLAGS.contains(args.get(i)) || i + 1 >= args.size()) {
                throw new IllegalArgumentException("unknown flag or missing value: " + args.get(i));
            }
            values.put(args.get(i), args.get(i + 1));
        }
        return new ChaosOptions(
                Duration.ofSeconds(number(values, "--hold", 10, 1, 600)),
                number(values, "--environments", 4, 1, 26),
                number(values, "--rate", 10, 1, 200),
                number(values, "--readers", 4, 1, 64),
                number(values, "--read-rate", 50, 1, 1000),
                number(values, "--sse", 30, 1, 2000),
                Duration.ofSeconds(number(values, "--catch-up", 180, 10, 3600)),
                Path.of(values.getOrDefault("--logs", "infra/system-tests/target/chaos")).toAbsolutePath());
    }

    private static int number(Map<String, String> values, String flag, int fallback, int min, int max) {
        String value = values.get(flag);
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number < min || number > max) {
                throw new IllegalArgumentException(flag + " must be " + min + ".." + max + ", was " + value);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a whole number, was " + value, e);
        }
    }

    /** chaos-a, chaos-b, ...: environments of their own, so nothing else writes to them. */
    List<String> environmentNames() {
        return IntStream.range(0, environments).mapToObj(i -> "chaos-" + (char) ('a' + i)).toList();
    }
}
