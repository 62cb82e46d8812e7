package dev.flagsync.api.access;

/** Who sent a request: the client address as rate limits key it (an IPv6 address by its /64), and what its credentials came to. */
public record Caller(String address, Authentication authentication) {
}
