package dev.flagsync.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link LocalStackMain} runs, validated once: the mode and paths from its command line
 * (bin/run-local passes them), the ports from the FLAGSYNC_* variables. A bad value stops it with
 * a message naming the flag or the variable.
 *
 * @param servicesOnly only the servers, for running the API and the worker from an IDE
 * @param apiJar empty in services mode
 * @param workerJar empty in services mode
 */
record LocalStackOptions(boolean servicesOnly, Path migrations, Path seed, Optional<Path> apiJar,
                         Optional<Path> workerJar, PortSetting postgres, PortSetting redis, PortSetting kafka,
                         PortSetting kafkaController, PortSetting http, PortSetting workerMetrics) {

    static final String USAGE = """
            usage: LocalStackMain [all|services] --migrations DIR --seed FILE [--api-jar JAR --worker-jar JAR]
            ports: FLAGSYNC_PG_PORT (15432), FLAGSYNC_REDIS_PORT (16379), FLAGSYNC_KAFKA_PORT (19092),
                   FLAGSYNC_KAFKA_CONTROLLER_PORT (19093), FLAGSYNC_HTTP_PORT (8080), FLAGSYNC_WORKER_METRICS_PORT (9091)""";

    private static final Set<String> FLAGS = Set.of("--migrations", "--seed", "--api-jar", "--worker-jar");

    /** A port, what listens on it and the variable that moves it, for messages that say what to do. */
    record PortSetting(int port, String usedFor, String variable) {
    }

    static LocalStackOptions parse(List<String> args, Map<String, String> env) {
        List<String> rest = new ArrayList<>(args);
        String mode = !rest.isEmpty() && !rest.getFirst().startsWith("--") ? rest.removeFirst() : "all";
        boolean servicesOnly = switch (mode) {
            case "all" -> false;
            case "services" -> true;
            default -> throw new IllegalArgumentException("unknown mode: " + mode + "\n" + USAGE);
        };
        Map<String, String> values = flags(rest);
        LocalStackOptions options = new LocalStackOptions(
                servicesOnly,
                directory(values, "--migrations"),
                file(values, "--seed"),
                servicesOnly ? Optional.empty() : Optional.of(file(values, "--api-jar")),
                servicesOnly ? Optional.empty() : Optional.of(file(values, "--worker-jar")),
                port(env, "FLAGSYNC_PG_PORT", 15432, "PostgreSQL"),
                port(env, "FLAGSYNC_REDIS_PORT", 16379, "Redis"),
                port(env, "FLAGSYNC_KAFKA_PORT", 19092, "Kafka"),
                port(env, "FLAGSYNC_KAFKA_CONTROLLER_PORT", 19093, "Kafka controller"),
                port(env, "FLAGSYNC_HTTP_PORT", 8080, "HTTP API"),
                port(env, "FLAGSYNC_WORKER_METRICS_PORT", 9091, "worker metrics"));
        options.requireDistinctPorts();
        return options;
    }

    /** The ports this run listens on: the servers', and in the default mode the API's and the worker's. */
    List<PortSetting> ports() {
        List<PortSetting> ports = new ArrayList<>(List.of(postgres, redis, kafka, kafkaController));
        if (!servicesOnly) {
            ports.addAll(List.of(http, workerMetrics));
        }
        return ports;
    }

    private void requireDistinctPorts() {
        Map<Integer, PortSetting> seen = new HashMap<>();
        for (PortSetting setting : ports()) {
            PortSetting other = seen.putIfAbsent(setting.port(), setting);
            if (other != null) {
                throw new IllegalArgumentException(other.variable() + " and " + setting.variable()
                        + " are both " + setting.port() + "; give each its own port");
            }
        }
    }

    private static Map<String, String> flags(List<String> args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            if (!FLAGS.contains(args.get(i)) || i + 1 >= args.size()) {
                throw new IllegalArgumentException("unknown flag or missing value: " + args.get(i) + "\n" + USAGE);
            }
            values.put(args.get(i), args.get(i + 1));
        }
        return values;
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

    private static PortSetting port(Map<String, String> env, String variable, int defaultPort, String usedFor) {
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
            return new PortSetting(defaultPort, usedFor, variable);
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(variable + " must be 1..65535, was " + value);
            }
            return new PortSetting(port, usedFor, variable);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + " must be a port number, was " + value, e);
        }
    }
}
