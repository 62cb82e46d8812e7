package dev.flagsync.evaluator.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The flag is on only if its parent {@code feature} is enabled (or, with {@code enabled:false},
 * disabled), and, when {@code variants} is non-empty, the parent's variant is one of them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Dependency(String feature, Boolean enabled, List<String> variants) {

    public Dependency {
        variants = Lists.copyOf(variants);
    }

    /** Unleash reads anything but an explicit {@code false} as "the parent must be enabled". */
    public boolean expectsEnabled() {
        return !Boolean.FALSE.equals(enabled);
    }
}
