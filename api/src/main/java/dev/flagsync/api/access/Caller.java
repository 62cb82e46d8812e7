package dev.flagsync.api.access;

/** Who sent a request: the client address rate limits use, and what its credentials came to. */
public record Caller(String address, Authentication authentication) {
}
