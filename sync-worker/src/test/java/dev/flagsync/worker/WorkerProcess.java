package dev.flagsync.worker;

import dev.flagsync.localstack.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The real worker jar as a child process, so a test can kill it the way an OOM killer would. */
final class WorkerProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "flagsync-sync-worker.jar");

    private final ChildJvm jvm;

    private WorkerProcess(ChildJvm jvm) {
        this.jvm = jvm;
    }

    static WorkerProcess start(Map<String, String> env, String logName) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the ITs through mvn verify");
        }
        return new WorkerProcess(ChildJvm.start(List.of("-Xmx512m", "-jar", JAR.toString()), env,
                Path.of("target", logName + ".log")));
    }

    /** SIGKILL: no shutdown hook, no graceful drain, no offset flush. */
    void kill() {
        jvm.kill();
    }

    boolean isAlive() {
        return jvm.isAlive();
    }

    @Override
    public void close() {
        jvm.close();
    }
}
