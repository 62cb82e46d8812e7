package dev.flagsync.api.backup;

import dev.flagsync.shared.config.ConfigException;
import dev.flagsync.shared.flag.EncodedSnapshot;
import dev.flagsync.shared.lifecycle.BackoffPolicy;
import dev.flagsync.shared.lifecycle.Loop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last known good snapshots on disk ({@code SNAPSHOT_BACKUP_DIR}), so that an instance restarted
 * while neither store answers still serves what it served before. One file per environment,
 * replaced atomically (temporary file, fsync, rename, fsync of the folder) by a loop of its own:
 * {@link #offer} only records the snapshot, so a read never waits for the disk.
 */
public final class SnapshotBackup implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotBackup.class);
    private static final Duration STALL_AFTER = Duration.ofSeconds(60);

    private final Path directory;
    private final Map<String, EncodedSnapshot> pending = new ConcurrentHashMap<>();
    private final Map<String, Long> written = new ConcurrentHashMap<>();
    private final Semaphore work = new Semaphore(0);
    private final Loop loop;

    private SnapshotBackup(Path directory) {
        this.directory = directory;
        this.loop = Loop.named("snapshot-backup")
                .backoff(BackoffPolicy.exponential(Duration.ofMillis(500), Duration.ofSeconds(30)))
                .stallAfter(STALL_AFTER, this::writingWithoutFailures)
                .onStop(work::release)
                .onExit(this::flushQuietly)
                .build(this::step);
    }

    /** Opens (creating it if needed) the folder; a folder that cannot be written stops the start. */
    public static SnapshotBackup open(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new ConfigException("SNAPSHOT_BACKUP_DIR " + directory + " cannot be created: " + e.getMessage());
        }
        if (!Files.isDirectory(directory) || !Files.isWritable(directory)) {
            throw new ConfigException("SNAPSHOT_BACKUP_DIR " + directory + " is not a writable folder");
        }
        return new SnapshotBackup(directory);
    }

    /**
     * The snapshots on disk, skipping (with a warning) every file that is not a sound backup of
     * the environment its name gives; leftover temporary files of an interrupted write are deleted.
     */
    public List<EncodedSnapshot> restore() {
        List<EncodedSnapshot> snapshots = BackupFiles.readAll(directory);
        snapshots.forEach(snapshot -> written.put(snapshot.environment(), snapshot.version()));
        LOG.info("restored {} snapshot(s) from {}", snapshots.size(), directory);
        return snapshots;
    }

    public SnapshotBackup start() {
        loop.start();
        return this;
    }

    public Loop loop() {
        return loop;
    }

    /** Records a snapshot to be written; never blocks. Only the newest offered per environment is written. */
    public void offer(EncodedSnapshot snapshot) {
        pending.merge(snapshot.environment(), snapshot, (old, candidate) -> candidate.version() >= old.version() ? candidate : old);
        work.release();
    }

    private Duration step(Loop loop) throws IOException, InterruptedException {
        if (!work.tryAcquire(1, TimeUnit.SECONDS)) {
            loop.progress(); // idle is healthy
            return Duration.ZERO;
        }
        work.drainPermits();
        writePending();
        loop.progress();
        return Duration.ZERO;
    }

    private void writePending() throws IOException {
        for (String environment : pending.keySet()) {
            EncodedSnapshot snapshot = pending.remove(environment);
            if (snapshot == null || Long.valueOf(snapshot.version()).equals(written.get(environment))) {
                continue;
            }
            try {
                write(snapshot);
            } catch (IOException | RuntimeException e) {
                offer(snapshot); // tried again after the backoff, unless a newer one arrives first
                throw e;
            }
            written.put(environment, snapshot.version());
        }
    }

    private void write(EncodedSnapshot snapshot) throws IOException {
        Path target = BackupFiles.fileOf(directory, snapshot.environment());
        Path temporary = Files.createTempFile(directory, BackupFiles.TEMPORARY_PREFIX + snapshot.environment() + ".",
                BackupFiles.TEMPORARY_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(BackupFiles.encode(snapshot, Instant.now()));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(directory + " does not support atomic renames, which backups need", e);
            }
            syncDirectory();
            LOG.debug("backed up version {} of {} to {}", snapshot.version(), snapshot.environment(), target);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Makes the rename itself durable; some platforms cannot open a folder for this, which is harmless. */
    private void syncDirectory() {
        try (FileChannel folder = FileChannel.open(directory, StandardOpenOption.READ)) {
            folder.force(true);
        } catch (IOException e) {
            LOG.debug("could not fsync {}: {}", directory, e.toString());
        }
    }

    private boolean writingWithoutFailures() {
        return !pending.isEmpty() && loop.state().status() == Loop.Status.RUNNING;
    }

    /** On close, the last offers still reach the disk if they can. */
    private void flushQuietly() {
        try {
            writePending();
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not write the last snapshots to {} before stopping: {}", directory, e.toString());
        }
    }

    @Override
    public void close() {
        loop.close();
    }
}
