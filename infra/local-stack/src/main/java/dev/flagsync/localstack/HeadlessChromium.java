package dev.flagsync.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's chromium, headless, in a throwaway folder that holds its profile, its log and its
 * TMPDIR (Chromium leaves org.chromium.Chromium.* folders in TMPDIR); closing kills it and
 * deletes the folder. For tests: a missing browser fails the test (an exception), never skips it.
 */
public final class HeadlessChromium implements AutoCloseable {

    public static final Path BINARY = Path.of(System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium"));

    private final Process process;
    private final Path home;

    private HeadlessChromium(Process process, Path home) {
        this.process = process;
        this.home = home;
    }

    /** Fails the test, never skips it, when the browser is missing: bin/test installs it where it can. */
    public static HeadlessChromium open(String url) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("headless-Chromium test needs " + BINARY + ": install Debian's 'chromium' package "
                    + "(apt-get install chromium; bin/test does this when run as root) or set CHROMIUM_BIN");
        }
        try {
            Path home = Files.createTempDirectory("flagsync-chromium-");
            Path tmp = Files.createDirectory(home.resolve("tmp"));
            ProcessBuilder builder = new ProcessBuilder(List.of(BINARY.toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + home.resolve("profile"), url))
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("chromium.log").toFile());
            builder.environment().put("TMPDIR", tmp.toString());
            return new HeadlessChromium(builder.start(), home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        delete(home);
    }

    private static void delete(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
