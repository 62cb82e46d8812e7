package dev.flagsync.api.ofrep;

/** The OpenFeature resolution reasons flagsync's evaluation can give. */
public enum Reason {
    /** Enabled with rollout 100: the same value for everyone, no context needed. */
    STATIC,
    /** A percentage rollout: the value depends on the targeting key's bucket. */
    SPLIT,
    /** Disabled in flagsync: {@code false} for everyone. */
    DISABLED
}
