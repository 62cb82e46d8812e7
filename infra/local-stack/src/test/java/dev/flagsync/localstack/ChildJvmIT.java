package dev.flagsync.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A launcher's child JVM: its lines reach the launcher's output, and Ctrl-C reaches only the launcher. */
class ChildJvmIT {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void forwardsEachLineWithItsNameAndKeepsTheLinesItPrintsWhileStopping() {
        try (ChildJvm child = talkativeChild()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> output().contains("child  | started"));
            child.close();
            assertThat(output()).contains("child  | stopping on SIGTERM");
            assertThat(child.isAlive()).isFalse();
        }
    }

    @Test
    void runsInASessionOfItsOwn() throws IOException {
        try (ChildJvm child = talkativeChild()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> output().contains("child  | started")); // setsid has run
            assertThat(session(child.pid())).isEqualTo(child.pid()).isNotEqualTo(session(ProcessHandle.current().pid()));
        }
    }

    private ChildJvm talkativeChild() {
        return ChildJvm.startForwarding("child", List.of("-cp", System.getProperty("java.class.path"),
                TalkativeChild.class.getName()), Map.of("PATH", System.getenv("PATH")), out);
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Field 6 of /proc/PID/stat; the name in field 2 may hold spaces, so count from its closing parenthesis. */
    private static long session(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[3]);
    }
}
