package dev.flagsync.api.stream;

/** The instance already holds SSE_MAX_CONNECTIONS streams; the client should retry later or elsewhere. */
public final class TooManyStreamsException extends RuntimeException {

    public TooManyStreamsException(int max) {
        super("this instance already serves its maximum of " + max + " streams; retry later");
    }
}
