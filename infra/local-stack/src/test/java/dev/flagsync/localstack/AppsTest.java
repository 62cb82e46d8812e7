package dev.flagsync.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppsTest {

    @Test
    void startsEachJarWithTheJvmOptionsOfItsModule(@TempDir Path root) throws IOException {
        Path module = Files.createDirectories(root.resolve("api/target")).getParent();
        Files.writeString(module.resolve("jvm.options"), "-Xmx200m\n");

        assertThat(Apps.jvmOptions(module.resolve("target/flagsync-api.jar"))).isEqualTo(module.resolve("jvm.options"));
    }

    @Test
    void aMissingOptionsFileStopsTheStartNamingIt(@TempDir Path root) throws IOException {
        Path jar = Files.createDirectories(root.resolve("api/target")).resolve("flagsync-api.jar");

        assertThatThrownBy(() -> Apps.jvmOptions(jar)).hasMessageContaining(root.resolve("api/jvm.options").toString());
    }

    @Test
    void theRepositoryHasOptionsForBothApps() {
        Path repo = Path.of("").toAbsolutePath().getParent().getParent();
        assertThat(Apps.jvmOptions(repo.resolve("api/target/flagsync-api.jar"))).isRegularFile();
        assertThat(Apps.jvmOptions(repo.resolve("sync-worker/target/flagsync-sync-worker.jar"))).isRegularFile();
    }
}
