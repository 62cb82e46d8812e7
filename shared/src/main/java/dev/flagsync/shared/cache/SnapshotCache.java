package dev.flagsync.shared.cache;

import dev.flagsync.shared.flag.EncodedSnapshot;
import java.util.Optional;

/** The shared snapshot cache (Redis), written only through a compare-and-set on the version. */
public interface SnapshotCache {

    Optional<EncodedSnapshot> get(String environment);

    /**
     * Stores the snapshot with the TTL unless the cache already holds a newer version.
     * An equal version is rewritten, which refreshes the TTL.
     *
     * @return true when written, false when dropped as older than what is stored
     */
    boolean putIfNewer(EncodedSnapshot snapshot);

    /** Tells API instances that the environment changed (channel {@link RedisKeys#CHANGES_CHANNEL}). */
    void publishChange(String environment, long version);
}
