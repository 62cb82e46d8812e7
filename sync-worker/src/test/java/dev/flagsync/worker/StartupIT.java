package dev.flagsync.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagsync.shared.config.Env;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a real start throws while nothing listens yet is what {@link Startup} retries. */
class StartupIT {

    @Test
    void startWithPostgresDownFailsAsUnreachable() throws IOException {
        WorkerConfig config = WorkerConfig.from(new Env(Map.of(
                "DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + closedPort() + "/flagsync",
                "DATABASE_USER", "flagsync",
                "DATABASE_PASSWORD", "flagsync",
                "REDIS_URL", "redis://127.0.0.1:" + closedPort(),
                "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + closedPort(),
                "METRICS_PORT", "0")));

        assertThatThrownBy(() -> Worker.start(config).close())
                .satisfies(failure -> assertThat(Startup.isUnreachable(failure)).as(failure.toString()).isTrue());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
