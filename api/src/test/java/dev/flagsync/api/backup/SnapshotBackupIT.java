package dev.flagsync.api.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flagsync.api.ApiFixture;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one API backed up, the next one serves (as stale) when it starts with neither store
 * reachable, skipping the files it cannot trust.
 */
class SnapshotBackupIT {

    @TempDir
    Path backups;

    private long backedUpVersion(String environment) {
        try {
            return BackupFiles.parse(backups.resolve(environment + ".json"), environment).version();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void aRestartWithBothStoresDownServesTheBackedUpSnapshots() throws Exception {
        String one;
        String two;
        try (ApiFixture first = new ApiFixture(Map.of("SNAPSHOT_BACKUP_DIR", backups.toString()))) {
            first.sql("INSERT INTO feature_flags (environment, flag_key, enabled) VALUES "
                    + "('backup-one', 'a', true), ('backup-one', 'b', false), ('backup-two', 'c', true)");
            one = first.get("/api/v1/environments/backup-one/flags").body();
            two = first.get("/api/v1/environments/backup-two/flags").body();
            long versionOne = first.database().version("backup-one");
            await().atMost(Duration.ofSeconds(5)).until(() -> backedUpVersion("backup-one") == versionOne
                    && backedUpVersion("backup-two") == first.database().version("backup-two"));
        }
        // Beside them: a corrupt file, and a sound backup of another environment under a wrong name.
        Files.writeString(backups.resolve("garbage.json"), "{\"format\":\"flagsync-snapshot-backup\",\"snap");
        Files.write(backups.resolve("backup-three.json"), Files.readAllBytes(backups.resolve("backup-one.json")));

        try (ApiFixture second = ApiFixture.withUnreachableStores(Map.of("SNAPSHOT_BACKUP_DIR", backups.toString()))) {
            HttpResponse<String> readOne = second.get("/api/v1/environments/backup-one/flags");
            assertThat(readOne.statusCode()).isEqualTo(200);
            assertThat(readOne.headers().firstValue("X-Flag-Source")).hasValue("stale");
            assertThat(readOne.body()).isEqualTo(one);
            assertThat(second.get("/api/v1/environments/backup-two/flags").body()).isEqualTo(two);
            assertThat(second.get("/api/v1/environments/backup-three/flags").statusCode()).isEqualTo(503);

            HttpResponse<String> ready = second.get("/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"status\":\"degraded\"").contains("last known good copies of 2 environment(s)")
                    .contains("\"initial-load\":");
        }
    }
}
