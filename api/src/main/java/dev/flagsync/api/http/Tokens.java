package dev.flagsync.api.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Bearer tokens, compared in constant time: both sides are hashed first so neither the
 * content nor the length of a configured token leaks through timing.
 */
public final class Tokens {

    private final List<byte[]> digests;

    public Tokens(List<String> tokens) {
        this.digests = tokens.stream().map(Tokens::sha256).toList();
    }

    boolean isEmpty() {
        return digests.isEmpty();
    }

    /** True when the {@code Authorization} header carries one of the tokens. */
    boolean accepts(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = sha256(authorizationHeader.substring(7).trim());
        boolean match = false;
        for (byte[] digest : digests) {
            match |= MessageDigest.isEqual(digest, presented);
        }
        return match;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
