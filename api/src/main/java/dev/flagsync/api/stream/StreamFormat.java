package dev.flagsync.api.stream;

import dev.flagsync.shared.flag.EncodedSnapshot;

/**
 * What one kind of stream sends: flagsync's snapshots, OFREP's refetch notices, Unleash's deltas.
 * The broadcaster reads each new snapshot once and asks every format in use for its frame once.
 */
public interface StreamFormat {

    /** flagsync's own stream: every frame is the whole snapshot (contract section 4). */
    StreamFormat SNAPSHOTS = new StreamFormat() {
        @Override
        public Frame frame(EncodedSnapshot previous, EncodedSnapshot current) {
            return Frame.of(current);
        }

        @Override
        public String toString() {
            return "snapshots";
        }
    };

    /**
     * The frame for a change from {@code previous} (null when not known) to {@code current}. A
     * delta carries the whole frame of {@code current}, which is what a client that just
     * connected, or one at another version than the delta's base, is sent.
     */
    Frame frame(EncodedSnapshot previous, EncodedSnapshot current);
}
