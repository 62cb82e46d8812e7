package dev.flagsync.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code bin/run-local services} for an IDE, and a start that cannot have its port. */
class RunLocalServicesIT {

    private static final Pattern DATABASE_URL = Pattern.compile("(?m)^DATABASE_URL=(\\S+)$");

    @Test
    void servicesPrintsTheEnvironmentOfServersThatAnswerAndCtrlCRemovesThem() throws Exception {
        try (RunLocal servers = RunLocal.start(List.of("services"), Map.of(), "run-local-services")) {
            servers.awaitLine(line -> line.contains("flagsync servers are running"), Duration.ofMinutes(4));
            // The psql line comes last: the whole block is there.
            servers.awaitLine(line -> line.contains("database  psql"), Duration.ofSeconds(10));
            Matcher url = DATABASE_URL.matcher(servers.output());
            assertThat(url.find()).as("DATABASE_URL in:\n%s", servers.output()).isTrue();
            assertThat(servers.output()).contains("REDIS_URL=redis://127.0.0.1:" + servers.port("FLAGSYNC_REDIS_PORT"),
                    "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:" + servers.port("FLAGSYNC_KAFKA_PORT"));
            try (Connection connection = DriverManager.getConnection(url.group(1), "flagsync", "flagsync");
                 Statement statement = connection.createStatement();
                 ResultSet seeded = statement.executeQuery("SELECT count(*) FROM feature_flags")) {
                assertThat(seeded.next()).isTrue();
                assertThat(seeded.getInt(1)).as("seeded demo flags").isPositive();
            }
            List<ProcessHandle> started = servers.processes();

            servers.interrupt();
            Optional<Integer> status = servers.awaitExit(Duration.ofSeconds(60));

            assertThat(status).as("exit status after Ctrl-C; output:\n%s", servers.output()).contains(130);
            servers.assertNothingLeft(started);
        }
    }

    @Test
    void aTakenPortStopsTheStartNamingTheVariableThatMovesIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             RunLocal servers = RunLocal.start(List.of("services"),
                     Map.of("FLAGSYNC_REDIS_PORT", Integer.toString(taken.getLocalPort())), "run-local-taken-port")) {
            Optional<Integer> status = servers.awaitExit(Duration.ofMinutes(2));

            assertThat(status).as("exit status; output:\n%s", servers.output()).contains(1);
            assertThat(servers.output()).contains("port " + taken.getLocalPort() + " (Redis) is already in use",
                    "set FLAGSYNC_REDIS_PORT");
            servers.assertNothingLeft(List.of());
        }
    }
}
