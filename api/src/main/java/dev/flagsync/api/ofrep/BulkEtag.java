package dev.flagsync.api.ofrep;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The ETag of a bulk evaluation, {@code "<version>-<hash>"}: a bulk answer depends only on the
 * environment's flags (its version) and the context, so both are in the tag and a matching
 * {@code If-None-Match} can be answered 304 before any flag is evaluated.
 */
public final class BulkEtag {

    // Part of the hash so that a release that changes evaluation or the body shape stops old tags matching.
    // 3: bulk answers carry eventStreams; a provider holding an older answer must get one, not a 304.
    private static final String SCHEME = "flagsync-ofrep-bulk-3";
    private static final int HASH_BYTES = 8;

    private BulkEtag() {
    }

    public static String of(String environment, long version, EvaluationContext context) {
        MessageDigest sha256 = sha256();
        sha256.update((SCHEME + '\n' + environment + '\n').getBytes(StandardCharsets.UTF_8));
        sha256.update(context.canonicalJson());
        String hash = HexFormat.of().formatHex(sha256.digest(), 0, HASH_BYTES);
        return "\"" + version + "-" + hash + "\"";
    }

    /**
     * Whether an {@code If-None-Match} value names {@code etag}: a comma-separated list, weak
     * comparison (a {@code W/} prefix is ignored), quotes optional for lenient clients.
     * {@code *} never matches: it says nothing about the context the client evaluated with.
     */
    public static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        String bare = unquote(etag);
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (unquote(tag).equals(bare)) {
                return true;
            }
        }
        return false;
    }

    private static String unquote(String tag) {
        if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
            return tag.substring(1, tag.length() - 1);
        }
        return tag;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (MessageDigest Javadoc).
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
