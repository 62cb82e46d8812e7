package dev.flagsync.shared.flag;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * One segment of an environment as the snapshot carries it (contract section 6): its id, name and
 * Unleash constraints exactly as stored, read leniently by {@link RuleSources}. Treat the tree as
 * read-only.
 */
@JsonPropertyOrder({"id", "name", "constraints"})
public record Segment(int id, String name, JsonNode constraints) {

    public Segment {
        constraints = constraints == null || constraints.isNull() ? JsonNodeFactory.instance.arrayNode() : constraints.deepCopy();
    }
}
