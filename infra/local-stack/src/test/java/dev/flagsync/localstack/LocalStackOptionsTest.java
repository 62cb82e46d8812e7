package dev.flagsync.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackOptionsTest {

    @TempDir
    Path dir;

    @Test
    void usesTheRunLocalPortsByDefault() throws IOException {
        LocalStackOptions options = LocalStackOptions.parse(required());

        assertThat(options.postgresPort()).isEqualTo(55432);
        assertThat(options.redisPort()).isEqualTo(56379);
        assertThat(options.kafkaPort()).isEqualTo(59092);
        assertThat(options.kafkaControllerPort()).isEqualTo(59093);
        assertThat(options.dataDir()).isEqualTo(dir.toAbsolutePath());
    }

    @Test
    void takesPortsFromFlags() throws IOException {
        String[] args = concat(required(), "--postgres-port", "15432", "--kafka-port", "19092");

        LocalStackOptions options = LocalStackOptions.parse(args);

        assertThat(options.postgresPort()).isEqualTo(15432);
        assertThat(options.kafkaPort()).isEqualTo(19092);
    }

    @Test
    void namesTheFlagOfABadPort() {
        assertThatThrownBy(() -> LocalStackOptions.parse(concat(required(), "--redis-port", "sixty")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--redis-port");
    }

    @Test
    void namesAMissingFlag() {
        assertThatThrownBy(() -> LocalStackOptions.parse("--data-dir", dir.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--migrations is required");
    }

    @Test
    void rejectsAnUnknownFlag() {
        assertThatThrownBy(() -> LocalStackOptions.parse(concat(required(), "--verbose", "yes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--verbose");
    }

    private String[] required() throws IOException {
        Path seed = Files.writeString(dir.resolve("seed.sql"), "select 1;");
        return new String[] {"--data-dir", dir.toString(), "--migrations", dir.toString(), "--seed", seed.toString()};
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = new String[first.length + more.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
