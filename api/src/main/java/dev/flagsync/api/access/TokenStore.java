package dev.flagsync.api.access;

import dev.flagsync.shared.db.Actor;
import java.util.List;
import java.util.Optional;

/** The tokens table in PostgreSQL. Every write is attributed to an actor in the audit log. */
public interface TokenStore {

    /** Rises with every committed change to the table, whoever made it (a trigger keeps it). */
    long version();

    /** Unrevoked tokens that have not expired, with their hashes: what the registry loads. */
    List<HashedToken> active();

    /** Creates a token and returns it with its secret, which nothing keeps. */
    Created create(NewToken token, Actor actor);

    List<TokenInfo> list();

    /** Revokes a token (again is fine); empty when there is no such token. */
    Optional<TokenInfo> revoke(String id, Actor actor);

    record Created(TokenInfo token, String secret) {
    }
}
