package dev.flagsync.shared.db;

import static dev.flagsync.shared.db.schema.Tables.FEATURE_FLAGS;
import static dev.flagsync.shared.db.schema.Tables.FLAG_ENVIRONMENT_VERSIONS;
import static dev.flagsync.shared.db.schema.Tables.FLAG_SEGMENTS;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.shared.db.schema.tables.records.FeatureFlagsRecord;
import dev.flagsync.shared.db.schema.tables.records.FlagSegmentsRecord;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.FlagNames;
import dev.flagsync.shared.flag.FlagUpdate;
import dev.flagsync.shared.flag.Segment;
import dev.flagsync.shared.flag.SegmentUpdate;
import dev.flagsync.shared.flag.Snapshot;
import dev.flagsync.shared.flag.StoredSegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/** {@link FlagStore} over PostgreSQL through jOOQ. Versions are kept by the database's triggers. */
public final class JooqFlagStore implements FlagStore {

    /** Class id of the transaction-level advisory lock that orders admin writes to one environment. */
    private static final int ADMIN_WRITE_LOCK = 0x666c6167; // "flag"
    private static final String SEGMENT_ID = "segment_id";
    private static final String SEGMENT_NAME = "segment_name";
    private static final String SEGMENT_CONSTRAINTS = "segment_constraints";

    private final DSLContext dsl;
    private final Actor actor;
    /** Inside {@link #inTransaction}: the actor is set and the lock held, so writes run as they are. */
    private final boolean joined;

    public JooqFlagStore(DataSource dataSource) {
        this(DSL.using(dataSource, SQLDialect.POSTGRES, new Settings().withExecuteLogging(false)), null, false);
    }

    private JooqFlagStore(DSLContext dsl, Actor actor, boolean joined) {
        this.dsl = dsl;
        this.actor = actor;
        this.joined = joined;
    }

    @Override
    public JooqFlagStore actingAs(Actor actor) {
        return new JooqFlagStore(dsl, Objects.requireNonNull(actor), joined);
    }

    @Override
    public <T> T inTransaction(String environment, BiFunction<Snapshot, FlagStore, T> work) {
        FlagNames.requireEnvironment(environment);
        return dsl.transactionResult(configuration -> {
            DSLContext transaction = begin(DSL.using(configuration), environment);
            return work.apply(load(transaction, environment), new JooqFlagStore(transaction, actor, true));
        });
    }

    /** Names the actor to the audit trigger and takes the environment's admin-write lock. */
    private DSLContext begin(DSLContext transaction, String environment) {
        if (actor != null) {
            actor.applyTo(transaction);
        }
        // Two int keys: a key space apart from the capture's one-key session locks.
        transaction.execute("select pg_advisory_xact_lock(?, hashtext(?))", ADMIN_WRITE_LOCK, environment);
        return transaction;
    }

    /**
     * Runs a write in one transaction that names the actor (if any) to the audit trigger, and,
     * unless {@code check} is {@link WriteCheck#NONE}, first takes the environment's admin-write
     * lock and lets the check judge the environment as stored.
     */
    private <T> T write(String environment, WriteCheck check, Function<DSLContext, T> statement) {
        if (joined) {
            if (check != WriteCheck.NONE) {
                check.check(load(dsl, environment));
            }
            return statement.apply(dsl);
        }
        if (actor == null && check == WriteCheck.NONE) {
            return statement.apply(dsl);
        }
        return dsl.transactionResult(configuration -> {
            DSLContext transaction = DSL.using(configuration);
            if (check == WriteCheck.NONE) {
                actor.applyTo(transaction);
            } else {
                check.check(load(begin(transaction, environment), environment));
            }
            return statement.apply(transaction);
        });
    }

    @Override
    public Snapshot load(String environment) {
        FlagNames.requireEnvironment(environment);
        return load(dsl, environment);
    }

    /**
     * One statement is one MVCC snapshot even under READ COMMITTED: the version (a scalar subquery
     * in each branch), the flags and the segments always agree, in a single round trip. The flags
     * branch always yields a row (a left join from one row), so the version is there for an
     * environment without flags.
     */
    private static Snapshot load(DSLContext dsl, String environment) {
        Field<Long> version = DSL.coalesce(DSL.field(DSL.select(FLAG_ENVIRONMENT_VERSIONS.VERSION)
                .from(FLAG_ENVIRONMENT_VERSIONS)
                .where(FLAG_ENVIRONMENT_VERSIONS.ENVIRONMENT.eq(environment))), 0L).as("version");
        var flags = dsl.select(version, FEATURE_FLAGS.FLAG_KEY, FEATURE_FLAGS.ENABLED, FEATURE_FLAGS.ROLLOUT_PERCENTAGE,
                        FEATURE_FLAGS.DESCRIPTION, FEATURE_FLAGS.UPDATED_AT, FEATURE_FLAGS.STRATEGIES,
                        FEATURE_FLAGS.VARIANTS, FEATURE_FLAGS.DEPENDENCIES, FEATURE_FLAGS.IMPRESSION_DATA,
                        DSL.castNull(FLAG_SEGMENTS.SEGMENT_ID).as(SEGMENT_ID), DSL.castNull(FLAG_SEGMENTS.NAME).as(SEGMENT_NAME),
                        DSL.castNull(FLAG_SEGMENTS.CONSTRAINTS).as(SEGMENT_CONSTRAINTS))
                .from(DSL.selectOne().asTable("one"))
                .leftJoin(FEATURE_FLAGS).on(FEATURE_FLAGS.ENVIRONMENT.eq(environment));
        var segments = dsl.select(version, DSL.castNull(FEATURE_FLAGS.FLAG_KEY), DSL.castNull(FEATURE_FLAGS.ENABLED),
                        DSL.castNull(FEATURE_FLAGS.ROLLOUT_PERCENTAGE), DSL.castNull(FEATURE_FLAGS.DESCRIPTION),
                        DSL.castNull(FEATURE_FLAGS.UPDATED_AT), DSL.castNull(FEATURE_FLAGS.STRATEGIES),
                        DSL.castNull(FEATURE_FLAGS.VARIANTS), DSL.castNull(FEATURE_FLAGS.DEPENDENCIES),
                        DSL.castNull(FEATURE_FLAGS.IMPRESSION_DATA), FLAG_SEGMENTS.SEGMENT_ID, FLAG_SEGMENTS.NAME,
                        FLAG_SEGMENTS.CONSTRAINTS)
                .from(FLAG_SEGMENTS)
                .where(FLAG_SEGMENTS.ENVIRONMENT.eq(environment));
        var rows = flags.unionAll(segments).fetch();
        long current = rows.getFirst().get(version);
        List<Flag> flagList = new ArrayList<>(rows.size());
        List<Segment> segmentList = new ArrayList<>();
        for (Record row : rows) {
            if (row.get(FEATURE_FLAGS.FLAG_KEY) != null) {
                flagList.add(new Flag(row.get(FEATURE_FLAGS.FLAG_KEY), row.get(FEATURE_FLAGS.ENABLED),
                        row.get(FEATURE_FLAGS.ROLLOUT_PERCENTAGE), row.get(FEATURE_FLAGS.DESCRIPTION),
                        row.get(FEATURE_FLAGS.UPDATED_AT).toInstant(), tree(row.get(FEATURE_FLAGS.STRATEGIES)),
                        tree(row.get(FEATURE_FLAGS.VARIANTS)), tree(row.get(FEATURE_FLAGS.DEPENDENCIES)),
                        row.get(FEATURE_FLAGS.IMPRESSION_DATA)));
            } else if (row.get(SEGMENT_ID) != null) {
                // A union's columns are named by its first branch, hence the aliases.
                segmentList.add(new Segment(row.get(SEGMENT_ID, Integer.class), row.get(SEGMENT_NAME, String.class),
                        tree(row.get(SEGMENT_CONSTRAINTS, JSONB.class))));
            }
        }
        return new Snapshot(environment, current, flagList, segmentList);
    }

    @Override
    public Flag upsert(String environment, String key, FlagUpdate update, WriteCheck check) {
        FlagNames.requireEnvironment(environment);
        FlagNames.requireKey(key);
        FeatureFlagsRecord stored = write(environment, check, tx -> tx.insertInto(FEATURE_FLAGS)
                .set(FEATURE_FLAGS.ENVIRONMENT, environment)
                .set(FEATURE_FLAGS.FLAG_KEY, key)
                .set(flagFields(update))
                .onConflict(FEATURE_FLAGS.ENVIRONMENT, FEATURE_FLAGS.FLAG_KEY)
                .doUpdate()
                .set(flagFields(update))
                .returning()
                .fetchOne());
        return new Flag(stored.getFlagKey(), stored.getEnabled(), stored.getRolloutPercentage(),
                stored.getDescription(), stored.getUpdatedAt().toInstant(), tree(stored.getStrategies()),
                tree(stored.getVariants()), tree(stored.getDependencies()), stored.getImpressionData());
    }

    /** Every column a create-or-replace sets: a replace leaves nothing of the old row but its creation time. */
    private static Map<Field<?>, Object> flagFields(FlagUpdate update) {
        Map<Field<?>, Object> fields = new LinkedHashMap<>();
        fields.put(FEATURE_FLAGS.ENABLED, update.enabled());
        fields.put(FEATURE_FLAGS.ROLLOUT_PERCENTAGE, update.rolloutPercentage());
        fields.put(FEATURE_FLAGS.DESCRIPTION, update.description());
        fields.put(FEATURE_FLAGS.STRATEGIES, jsonb(update.strategies()));
        fields.put(FEATURE_FLAGS.VARIANTS, jsonb(update.variants()));
        fields.put(FEATURE_FLAGS.DEPENDENCIES, jsonb(update.dependencies()));
        fields.put(FEATURE_FLAGS.IMPRESSION_DATA, update.impressionData());
        return fields;
    }

    @Override
    public boolean delete(String environment, String key, WriteCheck check) {
        FlagNames.requireEnvironment(environment);
        FlagNames.requireKey(key);
        return write(environment, check, tx -> tx.deleteFrom(FEATURE_FLAGS)
                .where(FEATURE_FLAGS.ENVIRONMENT.eq(environment).and(FEATURE_FLAGS.FLAG_KEY.eq(key)))
                .execute()) > 0;
    }

    @Override
    public List<StoredSegment> segments(String environment) {
        FlagNames.requireEnvironment(environment);
        return dsl.selectFrom(FLAG_SEGMENTS)
                .where(FLAG_SEGMENTS.ENVIRONMENT.eq(environment))
                .orderBy(FLAG_SEGMENTS.SEGMENT_ID)
                .fetch(JooqFlagStore::segment);
    }

    @Override
    public Optional<StoredSegment> segment(String environment, int id) {
        FlagNames.requireEnvironment(environment);
        return dsl.selectFrom(FLAG_SEGMENTS)
                .where(FLAG_SEGMENTS.ENVIRONMENT.eq(environment).and(FLAG_SEGMENTS.SEGMENT_ID.eq(id)))
                .fetchOptional(JooqFlagStore::segment);
    }

    @Override
    public StoredSegment upsertSegment(String environment, int id, SegmentUpdate update, WriteCheck check) {
        FlagNames.requireEnvironment(environment);
        FlagSegmentsRecord stored = write(environment, check, tx -> tx.insertInto(FLAG_SEGMENTS)
                .set(FLAG_SEGMENTS.ENVIRONMENT, environment)
                .set(FLAG_SEGMENTS.SEGMENT_ID, id)
                .set(FLAG_SEGMENTS.NAME, update.name())
                .set(FLAG_SEGMENTS.DESCRIPTION, update.description())
                .set(FLAG_SEGMENTS.CONSTRAINTS, jsonb(update.constraints()))
                .onConflict(FLAG_SEGMENTS.ENVIRONMENT, FLAG_SEGMENTS.SEGMENT_ID)
                .doUpdate()
                .set(FLAG_SEGMENTS.NAME, update.name())
                .set(FLAG_SEGMENTS.DESCRIPTION, update.description())
                .set(FLAG_SEGMENTS.CONSTRAINTS, jsonb(update.constraints()))
                .returning()
                .fetchOne());
        return segment(stored);
    }

    @Override
    public boolean deleteSegment(String environment, int id, WriteCheck check) {
        FlagNames.requireEnvironment(environment);
        return write(environment, check, tx -> tx.deleteFrom(FLAG_SEGMENTS)
                .where(FLAG_SEGMENTS.ENVIRONMENT.eq(environment).and(FLAG_SEGMENTS.SEGMENT_ID.eq(id)))
                .execute()) > 0;
    }

    private static StoredSegment segment(FlagSegmentsRecord row) {
        return new StoredSegment(row.getSegmentId(), row.getName(), row.getDescription(), tree(row.getConstraints()),
                row.getCreatedAt().toInstant(), row.getUpdatedAt().toInstant());
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

    /** PostgreSQL's jsonb text as a tree; jsonb is always valid JSON, so this cannot fail on stored rows. */
    private static JsonNode tree(JSONB value) {
        return value == null ? null : FlagJson.readTree(value.data().getBytes(StandardCharsets.UTF_8));
    }

    private static JSONB jsonb(JsonNode value) {
        return value == null ? null : JSONB.valueOf(new String(FlagJson.write(value), StandardCharsets.UTF_8));
    }
}
