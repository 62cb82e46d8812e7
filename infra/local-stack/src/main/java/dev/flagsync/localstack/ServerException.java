package dev.flagsync.localstack;

/** A local server could not be started, stopped or prepared; the message names the server and port. */
public final class ServerException extends RuntimeException {

    public ServerException(String message) {
        super(message);
    }

    public ServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
