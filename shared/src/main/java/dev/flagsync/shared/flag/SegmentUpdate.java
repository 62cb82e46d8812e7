package dev.flagsync.shared.flag;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** The body of an admin create-or-replace of a segment; the admin API validates it strictly first. */
public record SegmentUpdate(String name, String description, JsonNode constraints) {

    public SegmentUpdate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(constraints, "constraints");
        if (description != null && description.length() > FlagUpdate.MAX_DESCRIPTION_LENGTH) {
            throw new InvalidFlagException("description must be at most " + FlagUpdate.MAX_DESCRIPTION_LENGTH + " characters");
        }
        constraints = constraints.deepCopy();
    }
}
