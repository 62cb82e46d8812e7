package dev.flagsync.evaluator.strategy;

import dev.flagsync.evaluator.Context;
import dev.flagsync.evaluator.condition.ContextField;

/**
 * Which context value a percentage or a variant hashes. Unleash has two default chains:
 * rollouts use userId, then sessionId, then random; variants use userId, sessionId,
 * remoteAddress, then random. A named field falls back to random for variants only.
 */
public final class Stickiness {

    private enum Mode { ROLLOUT_DEFAULT, VARIANT_DEFAULT, RANDOM, USER_ID, SESSION_ID, FIELD }

    static final Stickiness USER_ID = new Stickiness(Mode.USER_ID, null, false);
    static final Stickiness SESSION_ID = new Stickiness(Mode.SESSION_ID, null, false);

    private final Mode mode;
    private final ContextField field;
    private final boolean randomWhenMissing;

    private Stickiness(Mode mode, ContextField field, boolean randomWhenMissing) {
        this.mode = mode;
        this.field = field;
        this.randomWhenMissing = randomWhenMissing;
    }

    /** flexibleRollout's {@code stickiness} parameter; without a value for a named field it is off. */
    static Stickiness forRollout(String name) {
        if (name == null || name.isEmpty() || name.equals("default")) {
            return new Stickiness(Mode.ROLLOUT_DEFAULT, null, true);
        }
        return name.equals("random")
                ? new Stickiness(Mode.RANDOM, null, true)
                : new Stickiness(Mode.FIELD, ContextField.of(name), false);
    }

    /** A variant list's stickiness; without a value a variant is picked at random. */
    static Stickiness forVariants(String name) {
        if (name == null || name.isEmpty() || name.equals("default")) {
            return new Stickiness(Mode.VARIANT_DEFAULT, null, true);
        }
        return name.equals("random")
                ? new Stickiness(Mode.RANDOM, null, true)
                : new Stickiness(Mode.FIELD, ContextField.of(name), true);
    }

    /** The id to hash, or null when the context has none (then {@link #randomWhenMissing()} decides). */
    String id(Context context) {
        return switch (mode) {
            case ROLLOUT_DEFAULT -> first(context.userId(), context.sessionId(), null);
            case VARIANT_DEFAULT -> first(context.userId(), context.sessionId(), context.remoteAddress());
            case RANDOM -> null;
            case USER_ID -> first(context.userId(), null, null);
            case SESSION_ID -> first(context.sessionId(), null, null);
            case FIELD -> field.nonEmptyValueIn(context);
        };
    }

    boolean randomWhenMissing() {
        return randomWhenMissing;
    }

    /** Whether a context can lack the id: then a full rollout still depends on the context. */
    boolean canBeMissing() {
        return !randomWhenMissing;
    }

    private static String first(String a, String b, String c) {
        if (a != null && !a.isEmpty()) {
            return a;
        }
        if (b != null && !b.isEmpty()) {
            return b;
        }
        return c != null && !c.isEmpty() ? c : null;
    }
}
