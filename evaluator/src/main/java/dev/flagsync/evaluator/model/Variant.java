package dev.flagsync.evaluator.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A variant of a flag or of a strategy. {@code weight} is relative: the picked variant is the one
 * whose running weight reaches {@code hash % totalWeight + 1}; totals need not be 100 or 1000.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Variant(
        String name,
        int weight,
        String weightType,
        String stickiness,
        Payload payload,
        List<VariantOverride> overrides) {

    public Variant {
        overrides = Lists.copyOf(overrides);
    }

    public static Variant of(String name, int weight, Payload payload) {
        return new Variant(name, weight, null, null, payload, null);
    }
}
