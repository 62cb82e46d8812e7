package dev.flagsync.api.http;

/** An error answer: HTTP status, a stable code, and a message for people. */
public class ApiError extends RuntimeException {

    private final int status;
    private final String code;

    public ApiError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    static ApiError notFound(String what) {
        return new ApiError(404, "not_found", what + " not found");
    }
}
