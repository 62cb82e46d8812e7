package dev.flagsync.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagsync.localstack.LocalStackOptions.PortSetting;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackOptionsTest {

    @TempDir
    Path dir;

    @Test
    void usesPortsBelowTheEphemeralRangeByDefault() throws IOException {
        LocalStackOptions options = LocalStackOptions.parse(all(), Map.of());

        assertThat(options.ports()).extracting(PortSetting::port).containsExactly(15432, 16379, 19092, 19093, 8080, 9091);
        assertThat(options.ports()).allSatisfy(setting -> assertThat(setting.port()).isLessThan(32768));
        // so that bin/chaos, whose ports come from Ports.freeBelowEphemeral(), never takes one of them
        assertThat(options.ports()).allSatisfy(setting -> assertThat(setting.port()).isLessThan(Ports.LOWEST_UNRESERVED));
        assertThat(options.servicesOnly()).isFalse();
        assertThat(options.apiJar()).contains(dir.resolve("api.jar").toAbsolutePath());
    }

    @Test
    void takesPortsFromTheVariablesThatNameThem() throws IOException {
        LocalStackOptions options = LocalStackOptions.parse(all(), Map.of("FLAGSYNC_PG_PORT", "25432",
                "FLAGSYNC_KAFKA_PORT", "29092", "FLAGSYNC_WORKER_METRICS_PORT", "29091"));

        assertThat(options.postgres()).isEqualTo(new PortSetting(25432, "PostgreSQL", "FLAGSYNC_PG_PORT"));
        assertThat(options.kafka().port()).isEqualTo(29092);
        assertThat(options.workerMetrics().port()).isEqualTo(29091);
        assertThat(options.redis().port()).isEqualTo(16379);
    }

    @Test
    void servicesModeNeedsNoJarsAndChecksOnlyTheServersPorts() throws IOException {
        LocalStackOptions options = LocalStackOptions.parse(services(), Map.of());

        assertThat(options.servicesOnly()).isTrue();
        assertThat(options.apiJar()).isEmpty();
        assertThat(options.ports()).extracting(PortSetting::variable).containsExactly("FLAGSYNC_PG_PORT",
                "FLAGSYNC_REDIS_PORT", "FLAGSYNC_KAFKA_PORT", "FLAGSYNC_KAFKA_CONTROLLER_PORT");
    }

    @Test
    void namesTheVariableOfABadPort() throws IOException {
        List<String> args = all();
        assertThatThrownBy(() -> LocalStackOptions.parse(args, Map.of("FLAGSYNC_REDIS_PORT", "sixty")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FLAGSYNC_REDIS_PORT");
        assertThatThrownBy(() -> LocalStackOptions.parse(args, Map.of("FLAGSYNC_HTTP_PORT", "70000")))
                .hasMessageContaining("FLAGSYNC_HTTP_PORT must be 1..65535");
    }

    @Test
    void namesBothVariablesWhenTwoPortsAreTheSame() throws IOException {
        List<String> args = all();
        assertThatThrownBy(() -> LocalStackOptions.parse(args, Map.of("FLAGSYNC_HTTP_PORT", "15432")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FLAGSYNC_PG_PORT and FLAGSYNC_HTTP_PORT are both 15432");
    }

    @Test
    void aTakenPortNamesTheVariableThatMovesIt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PortSetting setting = new PortSetting(taken.getLocalPort(), "PostgreSQL", "FLAGSYNC_PG_PORT");

            assertThatThrownBy(() -> Ports.requireFree(setting.port(), setting.usedFor(), setting.variable()))
                    .isInstanceOf(ServerException.class)
                    .hasMessageContaining("port " + setting.port() + " (PostgreSQL) is already in use")
                    .hasMessageContaining("set FLAGSYNC_PG_PORT");
        }
    }

    @Test
    void theDefaultModeNeedsBothJars() throws IOException {
        List<String> args = new ArrayList<>(services());
        args.addAll(List.of("--api-jar", jar("api.jar")));
        args.set(0, "all");
        assertThatThrownBy(() -> LocalStackOptions.parse(args, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--worker-jar is required");
    }

    @Test
    void rejectsAnUnknownModeOrFlag() throws IOException {
        assertThatThrownBy(() -> LocalStackOptions.parse(List.of("everything"), Map.of()))
                .hasMessageContaining("unknown mode: everything");
        List<String> args = new ArrayList<>(all());
        args.addAll(List.of("--verbose", "yes"));
        assertThatThrownBy(() -> LocalStackOptions.parse(args, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--verbose");
    }

    private List<String> all() throws IOException {
        List<String> args = new ArrayList<>(services());
        args.set(0, "all");
        args.addAll(List.of("--api-jar", jar("api.jar"), "--worker-jar", jar("worker.jar")));
        return args;
    }

    private List<String> services() throws IOException {
        Path seed = Files.writeString(dir.resolve("seed.sql"), "select 1;");
        return List.of("services", "--migrations", dir.toString(), "--seed", seed.toString());
    }

    private String jar(String name) throws IOException {
        return Files.writeString(dir.resolve(name), "not really a jar").toString();
    }
}
