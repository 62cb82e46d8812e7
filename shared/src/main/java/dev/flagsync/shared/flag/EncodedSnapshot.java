package dev.flagsync.shared.flag;

/**
 * A snapshot together with its JSON bytes, so a snapshot is serialised once and the
 * same bytes go to Redis, to every HTTP reader and to every stream subscriber.
 */
public record EncodedSnapshot(Snapshot snapshot, byte[] json) {

    public String environment() {
        return snapshot.environment();
    }

    public long version() {
        return snapshot.version();
    }
}
