package dev.flagsync.api.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Where a request carries its token: {@code Authorization: Bearer <t>}, {@code Authorization: <t>}
 * (what Unleash SDKs send) or {@code X-API-Key: <t>} (OFREP). Secrets are only ever hashed.
 */
public final class Credentials {

    /** Longest secret looked at; longer values are no token of ours and are not even hashed. */
    static final int MAX_LENGTH = 512;

    private Credentials() {
    }

    /**
     * The presented secret, or null when the request carries none. {@code X-API-Key} wins over
     * {@code Authorization}; a scheme other than Bearer (e.g. {@code Basic ...}) is no token.
     */
    public static String secret(String authorization, String apiKey) {
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey.trim();
        }
        if (authorization == null || authorization.isBlank()) {
            return null;
        }
        String value = authorization.trim();
        int space = value.indexOf(' ');
        if (space < 0) {
            return value.equalsIgnoreCase("Bearer") ? "" : value;
        }
        if (value.regionMatches(true, 0, "Bearer", 0, space) && space == 6) {
            String token = value.substring(space + 1).trim();
            return token.isEmpty() ? "" : token;
        }
        return ""; // another scheme: a credential was presented, and it is not a token
    }

    /** SHA-256 of the secret's UTF-8 bytes: what the tokens table stores and the registry is keyed by. */
    public static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
