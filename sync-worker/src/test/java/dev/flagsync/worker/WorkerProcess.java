package dev.flagsync.worker;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The real worker jar as a child process, so a test can kill it the way an OOM killer would. */
final class WorkerProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "flagsync-sync-worker.jar");

    private final Process process;

    private WorkerProcess(Process process) {
        this.process = process;
    }

    static WorkerProcess start(Map<String, String> env, String logName) throws IOException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the ITs through mvn verify");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-jar", JAR.toString());
        builder.environment().clear();
        builder.environment().putAll(env);
        File log = Path.of("target", logName + ".log").toFile();
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log));
        return new WorkerProcess(builder.start());
    }

    /** SIGKILL: no shutdown hook, no graceful drain, no offset flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
