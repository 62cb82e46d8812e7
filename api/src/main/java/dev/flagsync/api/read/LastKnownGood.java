package dev.flagsync.api.read;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.flagsync.shared.flag.EncodedSnapshot;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The newest snapshot of each environment this instance has served: what it answers (as
 * {@code stale}) when no store can, and the version below which a store's copy is out of date.
 * Only ever moves forward, whatever order concurrent loads finish in.
 */
final class LastKnownGood {

    private final Cache<String, EncodedSnapshot> snapshots = Caffeine.newBuilder().maximumSize(10_000).build();
    private final Consumer<EncodedSnapshot> onNewer;

    /** @param onNewer told of each snapshot that became the newest known (e.g. to back it up on disk) */
    LastKnownGood(Consumer<EncodedSnapshot> onNewer) {
        this.onNewer = onNewer;
    }

    /** Keeps the snapshot unless a newer one is known. */
    void remember(EncodedSnapshot snapshot) {
        if (keep(snapshot)) {
            onNewer.accept(snapshot);
        }
    }

    /** Like {@link #remember} for a copy that came from the backup, so it is not backed up again. */
    void restore(EncodedSnapshot snapshot) {
        keep(snapshot);
    }

    private boolean keep(EncodedSnapshot snapshot) {
        boolean[] newer = new boolean[1];
        snapshots.asMap().compute(snapshot.environment(), (env, old) -> {
            newer[0] = old == null || snapshot.version() > old.version();
            return old == null || snapshot.version() >= old.version() ? snapshot : old;
        });
        return newer[0];
    }

    Optional<EncodedSnapshot> get(String environment) {
        return Optional.ofNullable(snapshots.getIfPresent(environment));
    }

    /** The snapshot kept for the environment of {@code snapshot} if it is newer than that one. */
    Optional<EncodedSnapshot> newerThan(EncodedSnapshot snapshot) {
        EncodedSnapshot known = snapshots.getIfPresent(snapshot.environment());
        return known != null && known.version() > snapshot.version() ? Optional.of(known) : Optional.empty();
    }

    /** The newest version known of the environment; -1 if none. */
    long version(String environment) {
        EncodedSnapshot known = snapshots.getIfPresent(environment);
        return known == null ? -1 : known.version();
    }

    Map<String, Long> versions() {
        Map<String, Long> versions = new HashMap<>();
        snapshots.asMap().forEach((environment, snapshot) -> versions.put(environment, snapshot.version()));
        return versions;
    }

    int size() {
        return snapshots.asMap().size();
    }
}
