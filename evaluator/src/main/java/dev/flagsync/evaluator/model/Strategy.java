package dev.flagsync.evaluator.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * An activation strategy: a named rule with string parameters (Unleash sends {@code "rollout":"10"}),
 * ANDed constraints and segments, and optional strategy variants.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Strategy(
        String name,
        Map<String, String> parameters,
        List<Constraint> constraints,
        List<Integer> segments,
        List<Variant> variants) {

    public Strategy {
        parameters = Lists.copyOf(parameters);
        constraints = Lists.copyOf(constraints);
        segments = Lists.copyOf(segments);
        variants = Lists.copyOf(variants);
    }

    public static Strategy of(String name, Map<String, String> parameters, List<Constraint> constraints) {
        return new Strategy(name, parameters, constraints, null, null);
    }

    /** The parameter's value, or null when absent. */
    public String parameter(String key) {
        return parameters == null ? null : parameters.get(key);
    }
}
