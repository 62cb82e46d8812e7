package dev.flagsync.evaluator.model;

/** What the compiler takes for one flag: a readable {@link Feature}, or the reason it is not one. */
public sealed interface FeatureSource permits Feature, UnreadableFeature {

    String name();
}
