package dev.flagsync.shared.db;

import static dev.flagsync.shared.db.schema.Tables.FEATURE_FLAGS;
import static dev.flagsync.shared.db.schema.Tables.FLAG_ENVIRONMENT_VERSIONS;

import dev.flagsync.shared.db.schema.tables.records.FeatureFlagsRecord;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.FlagNames;
import dev.flagsync.shared.flag.FlagUpdate;
import dev.flagsync.shared.flag.Snapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/** {@link FlagStore} over PostgreSQL through jOOQ. Versions are kept by the database's triggers. */
public final class JooqFlagStore implements FlagStore {

    private final DSLContext dsl;
    private final Actor actor;

    public JooqFlagStore(DataSource dataSource) {
        this(DSL.using(dataSource, SQLDialect.POSTGRES, new Settings().withExecuteLogging(false)), null);
    }

    private JooqFlagStore(DSLContext dsl, Actor actor) {
        this.dsl = dsl;
        this.actor = actor;
    }

    @Override
    public JooqFlagStore actingAs(Actor actor) {
        return new JooqFlagStore(dsl, Objects.requireNonNull(actor));
    }

    /** Runs a write; with an actor, in one transaction that first names the actor to the audit trigger. */
    private <T> T write(Function<DSLContext, T> statement) {
        if (actor == null) {
            return statement.apply(dsl);
        }
        return dsl.transactionResult(configuration -> {
            DSLContext transaction = DSL.using(configuration);
            actor.applyTo(transaction);
            return statement.apply(transaction);
        });
    }

    @Override
    public Snapshot load(String environment) {
        FlagNames.requireEnvironment(environment);
        // One statement is one MVCC snapshot even under READ COMMITTED: the version in the
        // scalar subquery always matches the rows beside it, in a single round trip.
        Field<Long> version = DSL.coalesce(DSL.field(DSL.select(FLAG_ENVIRONMENT_VERSIONS.VERSION)
                .from(FLAG_ENVIRONMENT_VERSIONS)
                .where(FLAG_ENVIRONMENT_VERSIONS.ENVIRONMENT.eq(environment))), 0L).as("version");
        var rows = dsl.select(version, FEATURE_FLAGS.FLAG_KEY, FEATURE_FLAGS.ENABLED, FEATURE_FLAGS.ROLLOUT_PERCENTAGE,
                        FEATURE_FLAGS.DESCRIPTION, FEATURE_FLAGS.UPDATED_AT)
                .from(DSL.selectOne().asTable("one"))
                .leftJoin(FEATURE_FLAGS).on(FEATURE_FLAGS.ENVIRONMENT.eq(environment))
                .fetch();
        long current = rows.getFirst().get(version);
        List<Flag> flags = new ArrayList<>(rows.size());
        for (Record row : rows) {
            if (row.get(FEATURE_FLAGS.FLAG_KEY) != null) {
                flags.add(new Flag(row.get(FEATURE_FLAGS.FLAG_KEY), row.get(FEATURE_FLAGS.ENABLED),
                        row.get(FEATURE_FLAGS.ROLLOUT_PERCENTAGE), row.get(FEATURE_FLAGS.DESCRIPTION),
                        row.get(FEATURE_FLAGS.UPDATED_AT).toInstant()));
            }
        }
        return new Snapshot(environment, current, flags);
    }

    @Override
    public Flag upsert(String environment, String key, FlagUpdate update) {
        FlagNames.requireEnvironment(environment);
        FlagNames.requireKey(key);
        FeatureFlagsRecord stored = write(tx -> tx.insertInto(FEATURE_FLAGS)
                .set(FEATURE_FLAGS.ENVIRONMENT, environment)
                .set(FEATURE_FLAGS.FLAG_KEY, key)
                .set(FEATURE_FLAGS.ENABLED, update.enabled())
                .set(FEATURE_FLAGS.ROLLOUT_PERCENTAGE, update.rolloutPercentage())
                .set(FEATURE_FLAGS.DESCRIPTION, update.description())
                .onConflict(FEATURE_FLAGS.ENVIRONMENT, FEATURE_FLAGS.FLAG_KEY)
                .doUpdate()
                .set(FEATURE_FLAGS.ENABLED, update.enabled())
                .set(FEATURE_FLAGS.ROLLOUT_PERCENTAGE, update.rolloutPercentage())
                .set(FEATURE_FLAGS.DESCRIPTION, update.description())
                .returning()
                .fetchOne());
        return new Flag(stored.getFlagKey(), stored.getEnabled(), stored.getRolloutPercentage(),
                stored.getDescription(), stored.getUpdatedAt().toInstant());
    }

    @Override
    public boolean delete(String environment, String key) {
        FlagNames.requireEnvironment(environment);
        FlagNames.requireKey(key);
        return write(tx -> tx.deleteFrom(FEATURE_FLAGS)
                .where(FEATURE_FLAGS.ENVIRONMENT.eq(environment).and(FEATURE_FLAGS.FLAG_KEY.eq(key)))
                .execute()) > 0;
    }

    @Override
    public Map<String, Long> versions() {
        return dsl.select(FLAG_ENVIRONMENT_VERSIONS.ENVIRONMENT, FLAG_ENVIRONMENT_VERSIONS.VERSION)
                .from(FLAG_ENVIRONMENT_VERSIONS)
                .fetchMap(FLAG_ENVIRONMENT_VERSIONS.ENVIRONMENT, FLAG_ENVIRONMENT_VERSIONS.VERSION);
    }

    @Override
    public Map<String, Long> versions(Collection<String> environments) {
        if (environments.isEmpty()) {
            return Map.of();
        }
        // One statement whatever the number of environments: = ANY of a single array parameter.
        return dsl.select(FLAG_ENVIRONMENT_VERSIONS.ENVIRONMENT, FLAG_ENVIRONMENT_VERSIONS.VERSION)
                .from(FLAG_ENVIRONMENT_VERSIONS)
                .where(FLAG_ENVIRONMENT_VERSIONS.ENVIRONMENT.eq(DSL.any(environments.toArray(String[]::new))))
                .fetchMap(FLAG_ENVIRONMENT_VERSIONS.ENVIRONMENT, FLAG_ENVIRONMENT_VERSIONS.VERSION);
    }
}
