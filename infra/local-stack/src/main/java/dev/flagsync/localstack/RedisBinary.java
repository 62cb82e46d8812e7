package dev.flagsync.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import redis.embedded.RedisExecProvider;

/**
 * The redis-server executable bundled in org.signal:embedded-redis, extracted once into
 * {@code <java.io.tmpdir>/flagsync-redis-<version>/}. embedded-redis itself would extract a fresh
 * copy into a new temp folder per server, which piles up in /tmp whenever a JVM is killed.
 */
final class RedisBinary {

    private RedisBinary() {
    }

    static Path path() {
        String resource = "redis-server-" + RedisExecProvider.redisVersion + "-" + platform();
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "flagsync-redis-" + RedisExecProvider.redisVersion);
        Path binary = dir.resolve(resource);
        if (Files.isExecutable(binary)) {
            return binary;
        }
        try (InputStream in = RedisExecProvider.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new ServerException("embedded-redis has no " + resource + " for this machine");
            }
            Files.createDirectories(dir);
            // Copy then rename, so a concurrent JVM never executes a half-written file.
            Path partial = Files.createTempFile(dir, resource, ".partial");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            if (!partial.toFile().setExecutable(true)) {
                throw new ServerException("could not make " + partial + " executable");
            }
            Files.move(partial, binary, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return binary;
        } catch (IOException e) {
            throw new UncheckedIOException("could not extract " + resource + " to " + dir, e);
        }
    }

    private static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String cpu = switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> throw new ServerException("embedded-redis has no binary for CPU " + arch);
        };
        if (os.contains("linux")) {
            return "linux-" + cpu;
        }
        if (os.contains("mac")) {
            return "darwin-" + cpu;
        }
        throw new ServerException("embedded-redis has no binary for " + os);
    }
}
