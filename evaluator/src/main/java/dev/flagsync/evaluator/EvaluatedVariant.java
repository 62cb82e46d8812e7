package dev.flagsync.evaluator;

import dev.flagsync.evaluator.model.Payload;

/**
 * Unleash's variant answer: {@code {"name","payload","enabled","feature_enabled"}}. When no variant
 * applies the name is {@code "disabled"}, {@code enabled} false and there is no payload.
 */
public record EvaluatedVariant(String name, Payload payload, boolean enabled, boolean featureEnabled) {

    public static final String DISABLED_NAME = "disabled";

    /** The flag is off (or absent). */
    public static final EvaluatedVariant FEATURE_DISABLED = new EvaluatedVariant(DISABLED_NAME, null, false, false);

    /** The flag is on but has no variant to give. */
    public static final EvaluatedVariant NO_VARIANT = new EvaluatedVariant(DISABLED_NAME, null, false, true);

    public static EvaluatedVariant of(String name, Payload payload) {
        return new EvaluatedVariant(name, payload, true, true);
    }
}
