package dev.flagsync.api.access;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A token the API accepts: one from PostgreSQL or a bootstrap token from ADMIN_TOKENS /
 * READ_TOKENS. {@code environments} empty means every environment. Holds no secret.
 */
public record AccessToken(String id, String name, TokenType type, Set<String> environments, Instant expiresAt) {

    public AccessToken {
        environments = Set.copyOf(environments);
    }

    public boolean coversAll() {
        return environments.isEmpty();
    }

    public boolean covers(String environment) {
        return coversAll() || environments.contains(environment);
    }

    /** The environment an OFREP call without X-Flag-Environment means: the token's only one. */
    public Optional<String> soleEnvironment() {
        return environments.size() == 1 ? Optional.of(environments.iterator().next()) : Optional.empty();
    }

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
