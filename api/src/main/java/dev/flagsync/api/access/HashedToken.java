package dev.flagsync.api.access;

/** A token as the registry holds it: what it may do, and the SHA-256 of its secret. */
public record HashedToken(AccessToken token, byte[] secretHash) {
}
