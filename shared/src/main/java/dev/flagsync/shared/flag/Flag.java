package dev.flagsync.shared.flag;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/** One feature flag of an environment, as readers see it. */
@JsonPropertyOrder({"key", "enabled", "rolloutPercentage", "description", "updatedAt"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Flag(String key, boolean enabled, int rolloutPercentage, String description, Instant updatedAt) {

    public Flag {
        FlagNames.requireKey(key);
        if (rolloutPercentage < 0 || rolloutPercentage > 100) {
            throw new InvalidFlagException("rolloutPercentage must be between 0 and 100, was " + rolloutPercentage);
        }
    }
}
