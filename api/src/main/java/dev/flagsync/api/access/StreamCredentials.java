package dev.flagsync.api.access;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Credentials for event-stream URLs, because a browser's EventSource cannot send headers:
 * {@code <token id>.<HMAC-SHA256 of "flagsync-stream\n<environment>">}, both base64url, keyed by
 * the SHA-256 of the token's secret. Every API instance holds that hash, so any instance can
 * check the credential; the secret itself never goes into a URL (or the logs that record
 * URLs), a credential opens streams of one environment only, and it stops working when its
 * token is revoked or expires. Kept stable for the token's life, because the OpenFeature web
 * provider caches stream URLs (in localStorage, and across 304s).
 */
public final class StreamCredentials {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private StreamCredentials() {
    }

    public static String issue(HashedToken token, String environment) {
        return ENCODER.encodeToString(token.token().id().getBytes(StandardCharsets.UTF_8)) + "."
                + ENCODER.encodeToString(mac(token.secretHash(), environment));
    }

    /** What a credential presented for {@code environment} comes to; a malformed one is INVALID. */
    static Authentication verify(TokenRegistry registry, String credential, String environment, Instant now) {
        if (credential == null) {
            return Authentication.NONE;
        }
        int dot = credential.indexOf('.');
        if (credential.length() > Credentials.MAX_LENGTH || dot <= 0 || environment == null) {
            return Authentication.INVALID;
        }
        String id;
        byte[] presented;
        try {
            id = new String(DECODER.decode(credential.substring(0, dot)), StandardCharsets.UTF_8);
            presented = DECODER.decode(credential.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Authentication.INVALID;
        }
        Optional<HashedToken> found = registry.byId(id);
        if (found.isEmpty()) {
            return registry.loaded() ? Authentication.INVALID : Authentication.UNAVAILABLE;
        }
        HashedToken token = found.get();
        if (!MessageDigest.isEqual(mac(token.secretHash(), environment), presented) || token.token().expired(now)) {
            return Authentication.INVALID;
        }
        return Authentication.valid(token.token());
    }

    private static byte[] mac(byte[] secretHash, String environment) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secretHash, "HmacSHA256"));
            return mac.doFinal(("flagsync-stream\n" + environment).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }
}
