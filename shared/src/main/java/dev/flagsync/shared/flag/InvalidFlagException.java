package dev.flagsync.shared.flag;

/** Input that breaks the flag contract: a bad name, key, body or value. Maps to HTTP 400. */
public class InvalidFlagException extends RuntimeException {

    public InvalidFlagException(String message) {
        super(message);
    }

    public InvalidFlagException(String message, Throwable cause) {
        super(message, cause);
    }
}
