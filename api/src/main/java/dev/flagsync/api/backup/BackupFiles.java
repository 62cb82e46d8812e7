package dev.flagsync.api.backup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.shared.flag.EncodedSnapshot;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.FlagNames;
import dev.flagsync.shared.flag.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup folder's layout: {@code <environment>.json} holding
 * {@code {"format":"flagsync-snapshot-backup","formatVersion":1,"savedAt":..,"snapshot":{..}}}.
 * The marker tells our files from anything else in the folder; the snapshot must name the
 * environment of its file. Anything else is skipped with a warning, never trusted.
 */
final class BackupFiles {

    static final String FORMAT = "flagsync-snapshot-backup";
    static final int FORMAT_VERSION = 1;
    static final String TEMPORARY_PREFIX = ".";
    static final String TEMPORARY_SUFFIX = ".tmp";
    /** Far above any real snapshot; keeps a stray huge file from filling the heap at start. */
    static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(BackupFiles.class);
    private static final String SUFFIX = ".json";

    private BackupFiles() {
    }

    static Path fileOf(Path directory, String environment) {
        return directory.resolve(FlagNames.requireEnvironment(environment) + SUFFIX);
    }

    static byte[] encode(EncodedSnapshot snapshot, Instant savedAt) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(snapshot.json().length + 128);
        out.writeBytes(("{\"format\":\"" + FORMAT + "\",\"formatVersion\":" + FORMAT_VERSION + ",\"savedAt\":\""
                + savedAt + "\",\"snapshot\":").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(snapshot.json());
        out.write('}');
        return out.toByteArray();
    }

    /** Every sound backup in the folder; see the class comment for what is skipped. */
    static List<EncodedSnapshot> readAll(Path directory) {
        List<EncodedSnapshot> snapshots = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                read(file).ifPresent(snapshots::add);
            }
        } catch (IOException e) {
            LOG.warn("cannot list the snapshot backups in {}: {}", directory, e.toString());
        }
        return snapshots;
    }

    private static Optional<EncodedSnapshot> read(Path file) {
        String name = file.getFileName().toString();
        if (name.startsWith(TEMPORARY_PREFIX) && name.endsWith(TEMPORARY_SUFFIX)) {
            deleteLeftover(file);
            return Optional.empty();
        }
        String environment = name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : "";
        if (!Files.isRegularFile(file) || !FlagNames.isEnvironment(environment)) {
            LOG.warn("ignoring {} in the snapshot backup folder: not a backup file (<environment>.json)", file);
            return Optional.empty();
        }
        try {
            return Optional.of(parse(file, environment));
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring snapshot backup {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** The snapshot in the file, or an exception saying why it is not a sound backup of this environment. */
    static EncodedSnapshot parse(Path file, String environment) throws IOException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IOException("larger than " + MAX_FILE_BYTES + " bytes");
        }
        JsonNode root = FlagJson.readTree(Files.readAllBytes(file));
        if (!root.isObject() || !FORMAT.equals(root.path("format").asText())) {
            throw new IOException("not a flagsync snapshot backup (no \"format\":\"" + FORMAT + "\")");
        }
        if (root.path("formatVersion").asInt(-1) != FORMAT_VERSION) {
            throw new IOException("format version " + root.path("formatVersion") + " is not " + FORMAT_VERSION);
        }
        JsonNode node = root.get("snapshot");
        if (node == null || !node.isObject()) {
            throw new IOException("has no snapshot");
        }
        Snapshot snapshot = FlagJson.mapper().treeToValue(node, Snapshot.class);
        if (!snapshot.environment().equals(environment)) {
            throw new IOException("holds environment " + snapshot.environment() + ", not " + environment);
        }
        return FlagJson.encode(snapshot);
    }

    private static void deleteLeftover(Path file) {
        try {
            Files.deleteIfExists(file);
            LOG.info("deleted {}, left over from an interrupted backup write", file);
        } catch (IOException e) {
            LOG.warn("could not delete the leftover {}: {}", file, e.toString());
        }
    }
}
