package dev.flagsync.evaluator.validate;

/** One reason a flag or segment is refused: where ({@code $.strategies[0].constraints[1].value}) and why. */
public record ValidationError(String path, String message) {

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
