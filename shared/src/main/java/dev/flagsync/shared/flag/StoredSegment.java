package dev.flagsync.shared.flag;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A segment as the admin API shows it: the snapshot's fields plus its description and times. */
@JsonPropertyOrder({"id", "name", "description", "constraints", "createdAt", "updatedAt"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record StoredSegment(int id, String name, String description, JsonNode constraints, Instant createdAt,
                            Instant updatedAt) {

    public StoredSegment {
        constraints = constraints == null ? null : constraints.deepCopy();
    }
}
