package dev.flagsync.evaluator.condition;

/**
 * Receives what the lenient compiler decided on the way (an unknown operator, a pattern that does
 * not compile...), each with the JSON path of the element, so the caller can log or count it.
 */
@FunctionalInterface
public interface Warnings {

    Warnings IGNORE = (path, message) -> { };

    void warn(String path, String message);
}
