package dev.flagsync.evaluator.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** Picks its variant for every context whose {@code contextName} value is one of {@code values}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VariantOverride(String contextName, List<String> values) {

    public VariantOverride {
        values = Lists.copyOf(values);
    }
}
