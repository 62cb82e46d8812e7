package dev.flagsync.shared.db;

import java.util.Objects;
import org.jooq.DSLContext;

/**
 * Who makes a write through flagsync, for the audit log: the name and id of the API token. The
 * audit trigger reads them from transaction-local settings, beside the database session's own
 * user, application name and client address, which it records for every writer.
 */
public record Actor(String name, String tokenId) {

    public Actor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tokenId, "tokenId");
    }

    /** Sets the actor for the rest of {@code transaction} only (set_config with is_local = true). */
    public void applyTo(DSLContext transaction) {
        transaction.execute("select set_config('flagsync.actor', ?, true), set_config('flagsync.actor_token_id', ?, true)",
                name, tokenId);
    }
}
