package dev.flagsync.api.ofrep;

/** A request OFREP rejects as a whole (bad body or context), carrying the OFREP error code. */
public class OfrepException extends RuntimeException {

    private final ErrorCode errorCode;

    public OfrepException(ErrorCode errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    public OfrepException(ErrorCode errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }
}
