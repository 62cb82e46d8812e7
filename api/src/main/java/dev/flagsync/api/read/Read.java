package dev.flagsync.api.read;

import dev.flagsync.shared.flag.EncodedSnapshot;

/** A snapshot and the tier it came from. */
public record Read(EncodedSnapshot snapshot, Source source) {
}
