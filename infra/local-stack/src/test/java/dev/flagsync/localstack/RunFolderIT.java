package dev.flagsync.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safety net for a bin/run-local killed with SIGKILL: the next run stops what it left. */
class RunFolderIT {

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopProcesses() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void sweepStopsWhatADeadRunRecordedAndDeletesItsFolder() throws Exception {
        Process launcher = sleeper();
        RunFolder folder = RunFolder.create(tmp, launcher.toHandle());
        Process server = sleeper();
        folder.record("redis", server.toHandle());
        launcher.destroyForcibly().waitFor();

        RunFolder.sweep(tmp);

        assertThat(server.waitFor(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS))
                .as("the dead run's server was stopped").isTrue();
        assertThat(folder.dir()).doesNotExist();
    }

    @Test
    void sweepLeavesARunWhoseLauncherStillRuns() throws Exception {
        RunFolder folder = RunFolder.create(tmp); // this JVM, alive
        Process server = sleeper();
        folder.record("redis", server.toHandle());

        RunFolder.sweep(tmp);

        assertThat(server.isAlive()).isTrue();
        assertThat(folder.dir()).isDirectory();
    }

    @Test
    void sweepNeverStopsAProcessThatMerelyReusesARecordedPid() throws Exception {
        Process launcher = sleeper();
        RunFolder folder = RunFolder.create(tmp, launcher.toHandle());
        Process stranger = sleeper();
        // The pid of a live process, recorded with another start time: a pid the system gave out again.
        Files.writeString(folder.dir().resolve("processes"), "redis " + stranger.pid() + " 1\n",
                StandardOpenOption.APPEND);
        launcher.destroyForcibly().waitFor();

        RunFolder.sweep(tmp);

        assertThat(stranger.isAlive()).isTrue();
        assertThat(folder.dir()).doesNotExist();
    }

    @Test
    void sweepIgnoresFoldersItDidNotWrite() throws IOException {
        Path foreign = Files.createDirectory(tmp.resolve(RunFolder.PREFIX + "not-ours"));

        RunFolder.sweep(tmp);

        assertThat(foreign).isDirectory();
    }

    private Process sleeper() throws IOException {
        Process process = new ProcessBuilder("sleep", "120").start();
        started.add(process);
        return process;
    }
}
