package dev.flagsync.api.ofrep;

/** OFREP 0.3.0 error codes, each with the HTTP status the single-flag endpoint answers it with. */
public enum ErrorCode {
    PARSE_ERROR(400),
    TARGETING_KEY_MISSING(400),
    INVALID_CONTEXT(400),
    FLAG_NOT_FOUND(404),
    GENERAL(500);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
