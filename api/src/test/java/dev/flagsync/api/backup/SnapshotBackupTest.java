package dev.flagsync.api.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flagsync.shared.config.ConfigException;
import dev.flagsync.shared.flag.EncodedSnapshot;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.Snapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup folder on a real (temporary) disk: atomic replacement, and nothing unsound is ever restored. */
class SnapshotBackupTest {

    @TempDir
    Path folder;

    private static EncodedSnapshot snapshot(String environment, long version) {
        return FlagJson.encode(new Snapshot(environment, version,
                List.of(new Flag("f", version % 2 == 0, 100, "v" + version, Instant.parse("2026-01-01T00:00:00Z")))));
    }

    private void write(String name, byte[] content) throws IOException {
        Files.write(folder.resolve(name), content);
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesTheNewestSnapshotOfEachEnvironmentAndRestoresIt() throws Exception {
        try (SnapshotBackup backup = SnapshotBackup.open(folder).start()) {
            backup.offer(snapshot("prod", 1));
            backup.offer(snapshot("prod", 2));
            backup.offer(snapshot("dev", 7));
            await().atMost(Duration.ofSeconds(5)).until(() -> files().equals(List.of("dev.json", "prod.json"))
                    && BackupFiles.parse(folder.resolve("prod.json"), "prod").version() == 2);
        }

        List<EncodedSnapshot> restored = SnapshotBackup.open(folder).restore();

        assertThat(restored).extracting(EncodedSnapshot::snapshot)
                .containsExactlyInAnyOrder(snapshot("prod", 2).snapshot(), snapshot("dev", 7).snapshot());
        EncodedSnapshot prod = restored.stream().filter(s -> s.environment().equals("prod")).findFirst().orElseThrow();
        assertThat(prod.json()).isEqualTo(snapshot("prod", 2).json()); // the same bytes are served again
    }

    @Test
    void closeWritesWhatWasOfferedLast() throws Exception {
        SnapshotBackup backup = SnapshotBackup.open(folder).start();
        backup.offer(snapshot("last", 3));
        backup.close();

        assertThat(BackupFiles.parse(folder.resolve("last.json"), "last").version()).isEqualTo(3);
        assertThat(files()).containsExactly("last.json"); // no temporary file left
    }

    @Test
    void skipsCorruptTruncatedForeignAndStrangeFilesWithoutFailing() throws Exception {
        byte[] good = BackupFiles.encode(snapshot("good", 4), Instant.now());
        write("good.json", good);
        write("garbage.json", "{not json at all".getBytes(StandardCharsets.UTF_8));
        write("truncated.json", Arrays.copyOf(good, good.length / 2));
        write("empty.json", new byte[0]);
        write("foreign.json", BackupFiles.encode(snapshot("someone-else", 4), Instant.now())); // wrong environment inside
        write("plain.json", snapshot("plain", 4).json()); // a snapshot, but not one of our backup files
        write("future.json", new String(BackupFiles.encode(snapshot("future", 4), Instant.now()), StandardCharsets.UTF_8)
                .replace("\"formatVersion\":1", "\"formatVersion\":2").getBytes(StandardCharsets.UTF_8));
        write("odd.json", new String(good, StandardCharsets.UTF_8).replace("\"version\":4", "\"version\":-4")
                .replace("\"good\"", "\"odd\"").getBytes(StandardCharsets.UTF_8)); // fails the snapshot's own checks
        write("Not An Environment.json", good);
        write("notes.txt", "hello".getBytes(StandardCharsets.UTF_8));
        Files.createDirectory(folder.resolve("folder.json"));
        write(".good.json.123456.tmp", Arrays.copyOf(good, 10)); // an interrupted write

        List<EncodedSnapshot> restored = SnapshotBackup.open(folder).restore();

        assertThat(restored).extracting(EncodedSnapshot::snapshot).containsExactly(snapshot("good", 4).snapshot());
        assertThat(files()).doesNotContain(".good.json.123456.tmp").contains("garbage.json", "notes.txt");
    }

    @Test
    void aRestoredVersionIsNotWrittenAgain() throws Exception {
        write("same.json", BackupFiles.encode(snapshot("same", 5), Instant.parse("2020-01-01T00:00:00Z")));
        try (SnapshotBackup backup = SnapshotBackup.open(folder)) {
            backup.restore();
            backup.start();
            backup.offer(snapshot("same", 5));
            backup.offer(snapshot("other", 1));
            await().atMost(Duration.ofSeconds(5)).until(() -> files().contains("other.json"));
        }
        assertThat(Files.readString(folder.resolve("same.json"))).contains("\"savedAt\":\"2020-01-01T00:00:00Z\"");
    }

    @Test
    void aFolderThatCannotBeUsedStopsTheStartNamingTheVariable() throws IOException {
        Path file = Files.createFile(folder.resolve("a-file"));

        assertThatThrownBy(() -> SnapshotBackup.open(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("SNAPSHOT_BACKUP_DIR");
    }
}
