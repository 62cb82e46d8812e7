package dev.flagsync.evaluator.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A feature flag in Unleash's client-features shape, plus flagsync's legacy
 * {@code rolloutPercentage}, which applies only when {@code strategies} is null (contract §6).
 * Lists are kept as given (null stays null) so the JSON round-trips; the compiler interprets them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Feature(
        String name,
        boolean enabled,
        List<Strategy> strategies,
        List<Variant> variants,
        List<Dependency> dependencies,
        boolean impressionData,
        Integer rolloutPercentage) implements FeatureSource {

    public Feature {
        strategies = Lists.copyOf(strategies);
        variants = Lists.copyOf(variants);
        dependencies = Lists.copyOf(dependencies);
    }

    /** A flag of today's model: on/off plus a percentage of targeting keys. */
    public static Feature legacy(String name, boolean enabled, int rolloutPercentage) {
        return new Feature(name, enabled, null, null, null, false, rolloutPercentage);
    }

    /** A flag of Unleash's model. */
    public static Feature withStrategies(String name, boolean enabled, List<Strategy> strategies,
            List<Variant> variants, List<Dependency> dependencies) {
        return new Feature(name, enabled, strategies, variants, dependencies, false, null);
    }
}
