package dev.flagsync.api.access;

/**
 * Who sent a request: the client address as rate limits key it ({@code address}: an IPv6 address
 * by its /64), what its credentials came to, and the client address itself ({@code clientAddress},
 * the peer or, behind TRUSTED_PROXIES, the forwarded address), which evaluations may use as
 * Unleash's {@code remoteAddress}.
 */
public record Caller(String address, Authentication authentication, String clientAddress) {

    public Caller(String address, Authentication authentication) {
        this(address, authentication, address);
    }
}
