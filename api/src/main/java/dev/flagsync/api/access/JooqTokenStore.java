package dev.flagsync.api.access;

import static dev.flagsync.shared.db.schema.Tables.API_TOKENS;
import static dev.flagsync.shared.db.schema.Tables.API_TOKEN_VERSIONS;

import dev.flagsync.shared.db.Actor;
import dev.flagsync.shared.db.schema.tables.records.ApiTokensRecord;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Record2;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * {@link TokenStore} over PostgreSQL. Secrets are made by the database's
 * {@code flagsync_create_token} function, the same one an operator calls from psql, so there is
 * one token format; only its SHA-256 is stored.
 */
public final class JooqTokenStore implements TokenStore {

    private final DSLContext dsl;

    public JooqTokenStore(DataSource dataSource) {
        this.dsl = DSL.using(dataSource, SQLDialect.POSTGRES, new Settings().withExecuteLogging(false));
    }

    @Override
    public long version() {
        return dsl.select(API_TOKEN_VERSIONS.VERSION).from(API_TOKEN_VERSIONS).fetchSingle().value1();
    }

    @Override
    public List<HashedToken> active() {
        return dsl.selectFrom(API_TOKENS)
                .where(API_TOKENS.REVOKED_AT.isNull())
                .and(API_TOKENS.EXPIRES_AT.isNull().or(API_TOKENS.EXPIRES_AT.gt(DSL.currentOffsetDateTime())))
                .fetch(row -> new HashedToken(new AccessToken(row.getId().toString(), row.getName(),
                        type(row), scope(row.getEnvironments()), instant(row.getExpiresAt())), row.getSecretHash()));
    }

    @Override
    public Created create(NewToken token, Actor actor) {
        return dsl.transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            actor.applyTo(tx);
            Record2<UUID, String> created = tx.resultQuery(
                            "select id, secret from flagsync_create_token(?::text, ?::text, ?::text[], ?::timestamptz)",
                            token.name(), token.type().wire(), token.environments().toArray(String[]::new),
                            token.expiresAt() == null ? null : OffsetDateTime.ofInstant(token.expiresAt(), ZoneOffset.UTC))
                    .coerce(DSL.field("id", UUID.class), DSL.field("secret", String.class))
                    .fetchSingle();
            ApiTokensRecord row = tx.selectFrom(API_TOKENS).where(API_TOKENS.ID.eq(created.value1())).fetchSingle();
            return new Created(info(row), created.value2());
        });
    }

    @Override
    public List<TokenInfo> list() {
        return dsl.selectFrom(API_TOKENS).orderBy(API_TOKENS.CREATED_AT, API_TOKENS.ID).fetch(JooqTokenStore::info);
    }

    @Override
    public Optional<TokenInfo> revoke(String id, Actor actor) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return dsl.transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            actor.applyTo(tx);
            tx.update(API_TOKENS).set(API_TOKENS.REVOKED_AT, DSL.currentOffsetDateTime())
                    .where(API_TOKENS.ID.eq(uuid)).and(API_TOKENS.REVOKED_AT.isNull())
                    .execute();
            return tx.selectFrom(API_TOKENS).where(API_TOKENS.ID.eq(uuid)).fetchOptional(JooqTokenStore::info);
        });
    }

    private static TokenInfo info(ApiTokensRecord row) {
        return new TokenInfo(row.getId().toString(), row.getName(), type(row), Arrays.asList(row.getEnvironments()),
                instant(row.getCreatedAt()), instant(row.getExpiresAt()), instant(row.getRevokedAt()));
    }

    /** A type the table's check constraint allows, so the parse cannot fail on a migrated database. */
    private static TokenType type(ApiTokensRecord row) {
        return TokenType.parse(row.getType()).orElseThrow(() -> new IllegalStateException("unknown token type in the database"));
    }

    private static Set<String> scope(String[] environments) {
        List<String> list = Arrays.asList(environments);
        return list.equals(List.of(NewToken.ALL)) ? Set.of() : Set.copyOf(list);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
