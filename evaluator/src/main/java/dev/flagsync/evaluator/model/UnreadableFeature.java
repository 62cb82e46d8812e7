package dev.flagsync.evaluator.model;

/** A flag whose JSON could not be read; it evaluates to disabled with {@code reason}. */
public record UnreadableFeature(String name, String reason) implements FeatureSource {
}
