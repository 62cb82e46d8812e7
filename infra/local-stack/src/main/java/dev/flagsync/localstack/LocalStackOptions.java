package dev.flagsync.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Command line of {@link LocalStackMain}, validated once: a bad value stops it with a message naming the flag. */
record LocalStackOptions(Path dataDir, Path migrations, Path seed, int postgresPort, int redisPort, int kafkaPort,
                         int kafkaControllerPort) {

    static final String USAGE = """
            usage: LocalStackMain --data-dir DIR --migrations DIR --seed FILE
                                  [--postgres-port 55432] [--redis-port 56379]
                                  [--kafka-port 59092] [--kafka-controller-port 59093]""";

    private static final Set<String> FLAGS = Set.of("--data-dir", "--migrations", "--seed", "--postgres-port",
            "--redis-port", "--kafka-port", "--kafka-controller-port");

    static LocalStackOptions parse(String... args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!FLAGS.contains(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown flag or missing value: " + args[i] + "\n" + USAGE);
            }
            values.put(args[i], args[i + 1]);
        }
        return new LocalStackOptions(
                directory(values, "--data-dir"),
                directory(values, "--migrations"),
                file(values, "--seed"),
                port(values, "--postgres-port", 55432),
                port(values, "--redis-port", 56379),
                port(values, "--kafka-port", 59092),
                port(values, "--kafka-controller-port", 59093));
    }

    private static Path directory(Map<String, String> values, String flag) {
        Path path = required(values, flag);
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException(flag + " is not a directory: " + path);
        }
        return path.toAbsolutePath();
    }

    private static Path file(Map<String, String> values, String flag) {
        Path path = required(values, flag);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(flag + " is not a file: " + path);
        }
        return path.toAbsolutePath();
    }

    private static Path required(Map<String, String> values, String flag) {
        String value = values.get(flag);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(flag + " is required\n" + USAGE);
        }
        return Path.of(value);
    }

    private static int port(Map<String, String> values, String flag, int defaultPort) {
        String value = values.get(flag);
        if (value == null) {
            return defaultPort;
        }
        try {
            int port = Integer.parseInt(value);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(flag + " must be 1..65535, was " + value);
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a port number, was " + value, e);
        }
    }
}
