package dev.flagsync.evaluator;

/**
 * Something the compiler met in a snapshot: an unreadable flag or segment (a problem: the flag
 * answers an error), or a lenient decision such as an unknown operator (a warning). {@code path}
 * is the JSON path inside the flag or segment, e.g. {@code $.strategies[0].constraints[1].operator}.
 */
public record Problem(Kind kind, String id, String path, String message) {

    public enum Kind { FLAG, SEGMENT }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + id + " " + path + ": " + message;
    }
}
