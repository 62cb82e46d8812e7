package dev.flagsync.api.unleash;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.Snapshot;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Answers of the Unleash client API for a snapshot: the body and its ETag. The ETag covers what
 * decides the body (environment, version, filters, one flag's name, inlined or not), so an SDK
 * polling every 15 s is answered 304 until the environment changes. Bodies are built once per
 * version and query and kept by size, so a fleet of SDKs polling the same environment costs one
 * serialisation per change. Pure of HTTP.
 */
public final class ClientFeaturesService {

    /** Bytes of answer bodies kept; a body is rebuilt when evicted, so this bounds memory, not correctness. */
    static final long CACHE_BYTES = 64L * 1024 * 1024;

    private final Cache<Key, byte[]> bodies = Caffeine.newBuilder()
            .maximumWeight(CACHE_BYTES)
            .<Key, byte[]>weigher((key, body) -> body.length)
            .build();

    /** What a request asks for; {@code flag} is null for the list of all (kept) flags. */
    private record Key(String environment, long version, String query, boolean inline, String flag) {
    }

    /**
     * An answer: its ETag, known without building the body, and the body, built (or taken from
     * the cache) only when asked for, so a 304 costs no serialisation.
     */
    public record Answer(String etag, Supplier<byte[]> body) {
    }

    /** {@code GET /api/client/features}. */
    public Answer features(Snapshot snapshot, FeatureQuery query, boolean inlineSegments) {
        Key key = new Key(snapshot.environment(), snapshot.version(), query.key(), inlineSegments, null);
        return answer(key, () -> FlagJson.write(ClientFeatures.of(snapshot, query, inlineSegments)));
    }

    /** {@code GET /api/client/features/{name}}: empty when the environment has no such flag. */
    public Optional<Answer> feature(Snapshot snapshot, String name, boolean inlineSegments) {
        return snapshot.flag(name).map(flag -> answer(
                new Key(snapshot.environment(), snapshot.version(), "", inlineSegments, name),
                () -> FlagJson.write(ClientFeatures.feature(flag, inlineSegments ? ClientFeatures.segmentsById(snapshot) : null))));
    }

    private Answer answer(Key key, Supplier<byte[]> body) {
        return new Answer(etag(key), () -> bodies.get(key, k -> body.get()));
    }

    /** {@code "<hash of environment, query, flag, inlining>:<version>"}: strong, as the body is byte-for-byte the same. */
    static String etag(Key key) {
        List<Object> scope = new ArrayList<>();
        scope.add(ClientFeatures.VERSION);
        scope.add(key.environment());
        scope.add(key.query());
        scope.add(key.inline());
        scope.add(key.flag() == null ? "" : key.flag());
        return "\"" + HexFormat.of().formatHex(sha256(FlagJson.write(scope)), 0, 8) + ":" + key.version() + "\"";
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
