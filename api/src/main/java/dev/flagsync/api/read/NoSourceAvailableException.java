package dev.flagsync.api.read;

/** Neither Redis nor PostgreSQL answered and nothing is known from before. Maps to HTTP 503. */
public class NoSourceAvailableException extends RuntimeException {

    public NoSourceAvailableException(String environment, Throwable cause) {
        super("no source can answer for environment " + environment + " (Redis and PostgreSQL unavailable)", cause);
    }
}
