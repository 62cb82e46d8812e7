package dev.flagsync.shared.flag;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * All flags and segments of one environment at one version: the unit that is cached, served and
 * pushed. Flags are kept sorted by key and segments by id, so that equal snapshots serialise to
 * equal bytes; {@code segments} is left out of the JSON when there are none, so an environment of
 * the legacy model serialises as it always did.
 */
@JsonPropertyOrder({"environment", "version", "flags", "segments"})
public record Snapshot(String environment, long version, List<Flag> flags,
                       @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Segment> segments) {

    public Snapshot {
        FlagNames.requireEnvironment(environment);
        if (version < 0) {
            throw new InvalidFlagException("version must not be negative, was " + version);
        }
        flags = flags.stream().sorted(Comparator.comparing(Flag::key)).toList();
        segments = segments == null ? List.of() : segments.stream().sorted(Comparator.comparingInt(Segment::id)).toList();
    }

    /** An environment without segments. */
    public Snapshot(String environment, long version, List<Flag> flags) {
        this(environment, version, flags, List.of());
    }

    public static Snapshot empty(String environment) {
        return new Snapshot(environment, 0, List.of());
    }

    public Optional<Flag> flag(String key) {
        return flags.stream().filter(f -> f.key().equals(key)).findFirst();
    }
}
