package dev.flagsync.shared.flag;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * All flags of one environment at one version: the unit that is cached, served and pushed.
 * Flags are kept sorted by key so that equal snapshots serialise to equal bytes.
 */
@JsonPropertyOrder({"environment", "version", "flags"})
public record Snapshot(String environment, long version, List<Flag> flags) {

    public Snapshot {
        FlagNames.requireEnvironment(environment);
        if (version < 0) {
            throw new InvalidFlagException("version must not be negative, was " + version);
        }
        flags = flags.stream().sorted(Comparator.comparing(Flag::key)).toList();
    }

    public static Snapshot empty(String environment) {
        return new Snapshot(environment, 0, List.of());
    }

    public Optional<Flag> flag(String key) {
        return flags.stream().filter(f -> f.key().equals(key)).findFirst();
    }
}
