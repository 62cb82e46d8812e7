package dev.flagsync.evaluator;

/** Why an evaluation gave its answer, in OpenFeature's (OFREP's) terms. */
public enum Reason {
    /** A constraint, a segment, a user list, an address list or a variant override decided. */
    TARGETING_MATCH,
    /** A percentage decided: a rollout bucket or a weighted variant. */
    SPLIT,
    /** The same answer for every context: enabled with no rule that looks at the context. */
    STATIC,
    /** The flag, or a flag it depends on, is switched off (or missing, for a dependency). */
    DISABLED,
    /** No rule applied: the flag is absent, no strategy could apply, or its variants have no weight. */
    DEFAULT,
    /** The flag could not be evaluated; {@link Evaluation#errorCode()} says why. */
    ERROR
}
