package dev.flagsync.api.access;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tokens this instance accepts: the bootstrap tokens from the environment, and the last set
 * loaded from PostgreSQL (kept as it is while PostgreSQL is down). A secret is found by its
 * SHA-256, never by parsing it; the map lookup compares hashes, which tell an attacker nothing
 * about a secret, and the final comparison is {@link MessageDigest#isEqual} (constant time).
 */
public final class TokenRegistry {

    private final Map<ByteBuffer, HashedToken> bootstrap;
    private final Map<String, HashedToken> bootstrapById;
    private volatile Map<ByteBuffer, HashedToken> stored; // null until the first load
    private volatile Map<String, HashedToken> storedById = Map.of();

    public TokenRegistry(List<HashedToken> bootstrapTokens) {
        this.bootstrap = index(bootstrapTokens);
        this.bootstrapById = byId(bootstrapTokens);
    }

    /** Bootstrap tokens from ADMIN_TOKENS (admin) and READ_TOKENS (server), every environment. */
    public static TokenRegistry withBootstrap(List<String> adminTokens, List<String> readTokens) {
        List<HashedToken> tokens = new ArrayList<>();
        for (int i = 0; i < adminTokens.size(); i++) {
            tokens.add(bootstrap("ADMIN_TOKENS", i, TokenType.ADMIN, adminTokens.get(i)));
        }
        for (int i = 0; i < readTokens.size(); i++) {
            tokens.add(bootstrap("READ_TOKENS", i, TokenType.SERVER, readTokens.get(i)));
        }
        return new TokenRegistry(tokens);
    }

    private static HashedToken bootstrap(String variable, int index, TokenType type, String secret) {
        String name = variable + "#" + (index + 1);
        return new HashedToken(new AccessToken("bootstrap:" + name, name, type, Set.of(), null),
                Credentials.hash(secret));
    }

    /** Replaces the tokens from PostgreSQL with a freshly loaded set. */
    public void replace(List<HashedToken> tokens) {
        storedById = byId(tokens);
        stored = index(tokens);
    }

    /** The token with this id, for credentials derived from a token ({@link StreamCredentials}); empty if unknown. */
    public Optional<HashedToken> byId(String id) {
        HashedToken found = bootstrapById.get(id);
        return Optional.ofNullable(found != null ? found : storedById.get(id));
    }

    public boolean loaded() {
        return stored != null;
    }

    /** Tokens from PostgreSQL currently held (not counting bootstrap tokens). */
    public int storedCount() {
        Map<ByteBuffer, HashedToken> current = stored;
        return current == null ? 0 : current.size();
    }

    public Authentication authenticate(String secret, Instant now) {
        if (secret == null) {
            return Authentication.NONE;
        }
        if (secret.isEmpty() || secret.length() > Credentials.MAX_LENGTH) {
            return Authentication.INVALID;
        }
        byte[] hash = Credentials.hash(secret);
        ByteBuffer key = ByteBuffer.wrap(hash);
        HashedToken found = bootstrap.get(key);
        if (found == null) {
            Map<ByteBuffer, HashedToken> current = stored;
            if (current == null) {
                return Authentication.UNAVAILABLE;
            }
            found = current.get(key);
        }
        if (found == null || !MessageDigest.isEqual(found.secretHash(), hash) || found.token().expired(now)) {
            return Authentication.INVALID;
        }
        return Authentication.valid(found.token());
    }

    private static Map<String, HashedToken> byId(List<HashedToken> tokens) {
        Map<String, HashedToken> byId = new HashMap<>();
        for (HashedToken token : tokens) {
            byId.put(token.token().id(), token);
        }
        return Map.copyOf(byId);
    }

    private static Map<ByteBuffer, HashedToken> index(List<HashedToken> tokens) {
        Map<ByteBuffer, HashedToken> byHash = new HashMap<>();
        for (HashedToken token : tokens) {
            byHash.put(ByteBuffer.wrap(token.secretHash().clone()), token);
        }
        return Map.copyOf(byHash);
    }
}
