package dev.flagsync.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How bin/run-local starts the worker and the API: the jars, the JVM flags and the environment
 * that points them at the local servers. Each gets the caller's environment (so, e.g.,
 * {@code CORS_ALLOWED_ORIGINS=... bin/run-local} reaches the API) with the stack's settings over it.
 */
record Apps(LocalStackOptions options, Path tmp, Postgres postgres, Redis redis, Kafka kafka, Path dataDir) {

    /** The name, JVM arguments and environment of one app. */
    record Launch(String name, List<String> args, Map<String, String> env) {
    }

    Launch worker() {
        return new Launch("worker", jvm(options.workerJar().orElseThrow()), env(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "METRICS_HOST", "127.0.0.1",
                "METRICS_PORT", Integer.toString(options.workerMetrics().port()))));
    }

    Launch api() {
        return new Launch("api", jvm(options.apiJar().orElseThrow()), env(Map.of(
                "HTTP_HOST", "127.0.0.1",
                "HTTP_PORT", Integer.toString(options.http().port()),
                "ADMIN_TOKENS", LocalStackMain.ADMIN_TOKEN,
                // Last-known-good snapshots on disk, deleted with the rest of the data.
                "SNAPSHOT_BACKUP_DIR", Directories.createDirectories(dataDir.resolve("snapshots")).toString())));
    }

    /**
     * The module's jvm.options (the heap and GC settings flagsync ships, also used by the Dockerfile),
     * found beside the jar's target folder: {@code <module>/target/<jar>} -> {@code <module>/jvm.options}.
     */
    static Path jvmOptions(Path jar) {
        Path options = jar.toAbsolutePath().getParent().resolveSibling("jvm.options");
        if (!Files.isRegularFile(options)) {
            throw new IllegalStateException(options + " is missing: the JVM settings of " + jar.getFileName()
                    + " live there, beside its target folder");
        }
        return options;
    }

    private List<String> jvm(Path jar) {
        List<String> args = new ArrayList<>(List.of("@" + jvmOptions(jar), "-Djava.io.tmpdir=" + tmp));
        if (Runtime.version().feature() >= 24) {
            args.add("--sun-misc-unsafe-memory-access=allow"); // Kafka's clients still use it; only a warning here
        }
        args.addAll(List.of("-jar", jar.toString()));
        return args;
    }

    private Map<String, String> env(Map<String, String> own) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("DATABASE_URL", postgres.jdbcUrl());
        env.put("DATABASE_USER", postgres.user());
        env.put("DATABASE_PASSWORD", postgres.password());
        env.put("REDIS_URL", redis.url());
        env.putAll(own);
        return env;
    }
}
