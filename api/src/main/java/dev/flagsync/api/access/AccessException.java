package dev.flagsync.api.access;

/**
 * A request refused by access control: 401, 403, 429 or 503. The HTTP layer renders it as the
 * API's JSON error, or in OFREP's shape on OFREP paths.
 */
public final class AccessException extends RuntimeException {

    private final int status;
    private final String code;
    private final long retryAfterSeconds;

    private AccessException(int status, String code, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static AccessException unauthorized() {
        return new AccessException(401, "unauthorized", "missing or wrong token", 0);
    }

    static AccessException forbidden(String message) {
        return new AccessException(403, "forbidden", message, 0);
    }

    static AccessException rateLimited(long retryAfterSeconds) {
        return new AccessException(429, "rate_limited", "too many requests; retry after " + retryAfterSeconds + " s",
                retryAfterSeconds);
    }

    static AccessException tokensUnavailable() {
        return new AccessException(503, "tokens_unavailable",
                "tokens cannot be checked until PostgreSQL has answered once", 1);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Seconds for Retry-After, or 0 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
