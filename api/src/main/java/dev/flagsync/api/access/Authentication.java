package dev.flagsync.api.access;

/** What a request's credentials came to. {@code token} is set only when {@code status} is VALID. */
public record Authentication(Status status, AccessToken token) {

    public enum Status {
        /** No credential presented. */
        NONE,
        /** A known, unexpired, unrevoked token. */
        VALID,
        /** A credential that is no token we know (wrong, revoked, expired, or another scheme). */
        INVALID,
        /** Not a bootstrap token, and the tokens in PostgreSQL were never loaded: cannot tell yet. */
        UNAVAILABLE
    }

    static final Authentication NONE = new Authentication(Status.NONE, null);
    static final Authentication INVALID = new Authentication(Status.INVALID, null);
    static final Authentication UNAVAILABLE = new Authentication(Status.UNAVAILABLE, null);

    static Authentication valid(AccessToken token) {
        return new Authentication(Status.VALID, token);
    }

    public boolean isValid() {
        return status == Status.VALID;
    }
}
