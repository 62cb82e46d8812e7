package dev.flagsync.shared.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.flagsync.localstack.Postgres;
import dev.flagsync.localstack.Servers;
import dev.flagsync.shared.config.DatabaseConfig;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.FlagUpdate;
import dev.flagsync.shared.flag.InvalidFlagException;
import dev.flagsync.shared.flag.SegmentUpdate;
import dev.flagsync.shared.flag.Snapshot;
import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.FlagNames;
import dev.flagsync.shared.flag.RuleSources;
import dev.flagsync.shared.flag.Segment;
import dev.flagsync.shared.flag.StoredSegment;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JooqFlagStoreIT {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private static Postgres postgres;
    private static HikariDataSource dataSource;
    private static FlagStore store;

    @BeforeAll
    static void start() {
        postgres = Servers.postgres();
        dataSource = Databases.pool(new DatabaseConfig(postgres.jdbcUrl(), postgres.user(), postgres.password()), "it", 4);
        Databases.migrate(dataSource);
        store = new JooqFlagStore(dataSource);
    }

    @AfterAll
    static void stop() {
        dataSource.close();
        postgres.close();
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @Test
    void neverWrittenEnvironmentIsEmptyAtVersionZero() {
        assertThat(store.load("store-none")).isEqualTo(Snapshot.empty("store-none"));
    }

    @Test
    void upsertCreatesThenReplacesAndBumpsTheVersionEachTime() {
        Flag created = store.upsert("store-upsert", "checkout", new FlagUpdate(true, 25, "new checkout"));
        long afterCreate = store.load("store-upsert").version();
        Flag replaced = store.upsert("store-upsert", "checkout", new FlagUpdate(false, 100, null));

        Snapshot snapshot = store.load("store-upsert");
        assertThat(created.rolloutPercentage()).isEqualTo(25);
        assertThat(replaced.enabled()).isFalse();
        assertThat(replaced.updatedAt()).isAfterOrEqualTo(created.updatedAt());
        assertThat(snapshot.version()).isEqualTo(afterCreate + 1).isPositive();
        assertThat(snapshot.flags()).containsExactly(replaced);
    }

    @Test
    void plainSqlWritesBumpTheVersionAndMoveUpdatedAt() throws SQLException {
        sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('store-sql', 'b'), ('store-sql', 'a')");
        Snapshot inserted = store.load("store-sql");
        sql("UPDATE feature_flags SET enabled = true WHERE environment = 'store-sql' AND flag_key = 'a'");
        Snapshot updated = store.load("store-sql");
        sql("DELETE FROM feature_flags WHERE environment = 'store-sql' AND flag_key = 'b'");
        Snapshot deleted = store.load("store-sql");

        assertThat(inserted.flags()).extracting(Flag::key).containsExactly("a", "b");
        assertThat(updated.version()).isGreaterThan(inserted.version());
        assertThat(updated.flag("a").orElseThrow().updatedAt()).isAfter(inserted.flag("a").orElseThrow().updatedAt());
        assertThat(deleted.version()).isGreaterThan(updated.version());
        assertThat(deleted.flags()).extracting(Flag::key).containsExactly("a");
        assertThat(store.versions()).containsEntry("store-sql", deleted.version());
    }

    @Test
    void rowMovedToAnotherEnvironmentBumpsBoth() throws SQLException {
        store.upsert("store-from", "moving", new FlagUpdate(true, 100, null));
        store.upsert("store-to", "staying", new FlagUpdate(true, 100, null));
        long from = store.load("store-from").version();
        long to = store.load("store-to").version();

        sql("UPDATE feature_flags SET environment = 'store-to' WHERE environment = 'store-from' AND flag_key = 'moving'");

        assertThat(store.load("store-from").version()).isGreaterThan(from);
        assertThat(store.load("store-from").flags()).isEmpty();
        assertThat(store.load("store-to").version()).isGreaterThan(to);
        assertThat(store.load("store-to").flags()).extracting(Flag::key).containsExactly("moving", "staying");
    }

    @Test
    void truncateBumpsEveryEnvironment() throws SQLException {
        // In a database of its own: TRUNCATE would take the other tests' rows with it.
        String url = postgres.createDatabase("truncate_test");
        try (HikariDataSource own = Databases.pool(new DatabaseConfig(url, postgres.user(), postgres.password()), "it-truncate", 2)) {
            Databases.migrate(own);
            FlagStore ownStore = new JooqFlagStore(own);
            ownStore.upsert("one", "a", new FlagUpdate(true, 100, null));
            ownStore.upsert("two", "b", new FlagUpdate(true, 100, null));
            var before = ownStore.versions();
            try (Connection c = own.getConnection(); Statement s = c.createStatement()) {
                s.execute("TRUNCATE feature_flags");
            }
            assertThat(ownStore.versions()).containsEntry("one", before.get("one") + 1).containsEntry("two", before.get("two") + 1);
            assertThat(ownStore.load("one").flags()).isEmpty();

            ownStore.upsertSegment("one", 1, new SegmentUpdate("s", null, JSON.arrayNode()), WriteCheck.NONE);
            var withSegment = ownStore.versions();
            try (Connection c = own.getConnection(); Statement s = c.createStatement()) {
                s.execute("TRUNCATE flag_segments");
            }
            assertThat(ownStore.versions()).containsEntry("one", withSegment.get("one") + 1)
                    .containsEntry("two", withSegment.get("two") + 1);
            assertThat(ownStore.load("one").segments()).isEmpty();
        }
    }

    @Test
    void versionsOfSomeEnvironmentsInOneQueryLeaveOutTheNeverWritten() {
        store.upsert("store-watch-a", "f", new FlagUpdate(true, 100, null));
        store.upsert("store-watch-b", "f", new FlagUpdate(true, 100, null));
        store.upsert("store-watch-c", "f", new FlagUpdate(true, 100, null));

        var versions = store.versions(List.of("store-watch-a", "store-watch-b", "store-watch-never"));

        assertThat(versions).containsOnlyKeys("store-watch-a", "store-watch-b")
                .containsEntry("store-watch-a", store.load("store-watch-a").version());
        assertThat(store.versions(List.of())).isEmpty();
    }

    @Test
    void deleteReportsWhetherThereWasAFlag() {
        store.upsert("store-delete", "gone", new FlagUpdate(true, 100, null));
        assertThat(store.delete("store-delete", "gone")).isTrue();
        assertThat(store.delete("store-delete", "gone")).isFalse();
    }

    @Test
    void databaseRejectsWhatTheContractForbidsEvenFromPlainSql() {
        assertThatThrownBy(() -> sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('Bad Env', 'k')"))
                .hasMessageContaining("feature_flags_environment_format");
        assertThatThrownBy(() -> sql("INSERT INTO feature_flags (environment, flag_key, rollout_percentage) VALUES ('store-check', 'k', 101)"))
                .hasMessageContaining("feature_flags_rollout_range");
        assertThatThrownBy(() -> store.load("Bad Env")).isInstanceOf(InvalidFlagException.class);
    }

    private static JsonNode json(String text) {
        return FlagJson.readTree(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rulesRoundTripThroughTheTableExactlyAsGiven() {
        JsonNode strategies = json("[{\"name\":\"flexibleRollout\",\"parameters\":{\"rollout\":\"25\",\"groupId\":\"g\"},"
                + "\"constraints\":[{\"contextName\":\"price\",\"operator\":\"NUM_GT\",\"value\":\"0.10000000000000001\"}],"
                + "\"segments\":[3]}]");
        JsonNode variants = json("[{\"name\":\"blue\",\"weight\":500,\"payload\":{\"type\":\"json\",\"value\":\"{}\"}}]");
        JsonNode dependencies = json("[{\"feature\":\"parent\",\"enabled\":true}]");

        Flag stored = store.upsert("store-rules", "rules", new FlagUpdate(true, 100, "d", strategies, variants, dependencies, true));
        Flag loaded = store.load("store-rules").flag("rules").orElseThrow();

        assertThat(loaded).isEqualTo(stored);
        assertThat(loaded.strategies()).isEqualTo(strategies);
        assertThat(loaded.variants()).isEqualTo(variants);
        assertThat(loaded.dependencies()).isEqualTo(dependencies);
        assertThat(loaded.impressionData()).isTrue();

        Flag legacy = store.upsert("store-rules", "rules", new FlagUpdate(true, 40, null));
        assertThat(legacy.strategies()).isNull();
        assertThat(legacy.impressionData()).isFalse();
        assertThat(store.load("store-rules").flag("rules")).contains(legacy);
    }

    @Test
    void segmentsWrittenWithPsqlBumpTheVersionAndLoadBesideTheFlags() throws SQLException {
        sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('store-segments', 'f')");
        long flagsOnly = store.load("store-segments").version();
        sql("INSERT INTO flag_segments (environment, segment_id, name, constraints) VALUES "
                + "('store-segments', 9, 'nine', '[]'), "
                + "('store-segments', 2, 'two', '[{\"contextName\":\"plan\",\"operator\":\"IN\",\"values\":[\"pro\"]}]')");
        Snapshot inserted = store.load("store-segments");
        sql("UPDATE flag_segments SET name = 'nine again' WHERE environment = 'store-segments' AND segment_id = 9");
        Snapshot updated = store.load("store-segments");
        sql("DELETE FROM flag_segments WHERE environment = 'store-segments' AND segment_id = 2");
        Snapshot deleted = store.load("store-segments");

        assertThat(inserted.version()).isEqualTo(flagsOnly + 2);
        assertThat(inserted.flags()).extracting(Flag::key).containsExactly("f");
        assertThat(inserted.segments()).extracting(Segment::id).containsExactly(2, 9);
        assertThat(inserted.segments().getFirst().constraints())
                .isEqualTo(json("[{\"contextName\":\"plan\",\"operator\":\"IN\",\"values\":[\"pro\"]}]"));
        assertThat(updated.version()).isEqualTo(inserted.version() + 1);
        assertThat(updated.segments().get(1).name()).isEqualTo("nine again");
        assertThat(deleted.version()).isEqualTo(updated.version() + 1);
        assertThat(deleted.segments()).extracting(Segment::id).containsExactly(9);
        assertThat(store.segments("store-segments")).singleElement().satisfies(segment -> {
            assertThat(segment.name()).isEqualTo("nine again");
            assertThat(segment.updatedAt()).isAfter(segment.createdAt());
        });
        assertThat(store.load("store-segments-none").segments()).isEmpty();
    }

    @Test
    void anEnvironmentWithSegmentsButNoFlagsKeepsItsVersion() {
        store.upsertSegment("store-segments-only", 1, new SegmentUpdate("one", "first", JSON.arrayNode()), WriteCheck.NONE);

        Snapshot snapshot = store.load("store-segments-only");

        assertThat(snapshot.version()).isEqualTo(1);
        assertThat(snapshot.flags()).isEmpty();
        assertThat(snapshot.segments()).extracting(Segment::name).containsExactly("one");
        assertThat(store.segment("store-segments-only", 1)).get().extracting(StoredSegment::description).isEqualTo("first");
        assertThat(store.segment("store-segments-only", 2)).isEmpty();
    }

    @Test
    void rowsWhoseRulesCannotBeUnderstoodStillLoad() throws SQLException {
        sql("INSERT INTO feature_flags (environment, flag_key, enabled, strategies, variants) VALUES "
                + "('store-unreadable', 'bad', true, '{\"not\":\"an array\"}', '\"nor this\"'), ('store-unreadable', 'good', true, NULL, NULL)");
        sql("INSERT INTO flag_segments (environment, segment_id, name, constraints) VALUES ('store-unreadable', 1, 's', '42')");

        Snapshot snapshot = store.load("store-unreadable");

        assertThat(snapshot.flag("bad").orElseThrow().strategies()).isEqualTo(json("{\"not\":\"an array\"}"));
        assertThat(snapshot.segments().getFirst().constraints()).isEqualTo(json("42"));
        assertThat(RuleSources.compile(snapshot).problems()).extracting(p -> p.id()).containsExactlyInAnyOrder("bad", "1");
    }

    @Test
    void databaseRefusesStrategiesBesideARolloutPercentage() throws SQLException {
        assertThatThrownBy(() -> sql("INSERT INTO feature_flags (environment, flag_key, rollout_percentage, strategies) "
                + "VALUES ('store-check', 'both', 50, '[]')")).hasMessageContaining("feature_flags_strategies_without_rollout");
        sql("INSERT INTO feature_flags (environment, flag_key, rollout_percentage, strategies) VALUES ('store-check', 'rules', 100, '[]')");
        assertThatThrownBy(() -> sql("UPDATE feature_flags SET rollout_percentage = 10 WHERE environment = 'store-check' AND flag_key = 'rules'"))
                .hasMessageContaining("feature_flags_strategies_without_rollout");
    }

    @Test
    void flagKeysAreUnleashNamesInTheTableAsInFlagNames() throws SQLException {
        String utf8 = "Feature.UTF-8.\uD83D\uDE0A_\u03C6riend_\u4F60\u597D_\uD83C\uDF0D";
        String longest = "\uD83D\uDE80".repeat(255);
        store.upsert("store-keys", utf8, new FlagUpdate(true, 100, null));
        sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('store-keys', '" + longest + "'), ('store-keys', ' spaced .key')");

        assertThat(store.load("store-keys").flags()).extracting(Flag::key).containsExactlyInAnyOrder(utf8, longest, " spaced .key");
        for (String refused : new String[] {"", "a/b", "tab\t", "del\u007f", "c1\u0085", "x".repeat(256)}) {
            assertThat(FlagNames.isKey(refused)).as(refused).isFalse();
            assertThatThrownBy(() -> sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('store-keys', '" + refused + "')"))
                    .as(refused).hasMessageContaining("feature_flags_key_format");
        }
    }

    @Test
    void aRefusedCheckWritesNothing() {
        store.upsert("store-checked", "kept", new FlagUpdate(true, 100, null));
        long before = store.load("store-checked").version();
        List<Snapshot> seen = new ArrayList<>();

        assertThatThrownBy(() -> store.upsert("store-checked", "new", new FlagUpdate(true, 100, null), current -> {
            seen.add(current);
            throw new InvalidFlagException("refused");
        })).hasMessage("refused");
        assertThatThrownBy(() -> store.upsertSegment("store-checked", 1, new SegmentUpdate("s", null, JSON.arrayNode()),
                current -> { throw new InvalidFlagException("refused too"); })).hasMessage("refused too");

        assertThat(seen).singleElement().extracting(Snapshot::version).isEqualTo(before);
        assertThat(store.load("store-checked").version()).isEqualTo(before);
        assertThat(store.load("store-checked").flags()).extracting(Flag::key).containsExactly("kept");
        assertThat(store.load("store-checked").segments()).isEmpty();
    }

    @Test
    void checkedWritesToOneEnvironmentWaitForEachOther() throws Exception {
        store.upsert("store-serial", "seed", new FlagUpdate(true, 100, null));
        ExecutorService executor = Executors.newSingleThreadExecutor();
        // A checked write holds the environment's lock until it commits; this one parks inside its check.
        CountDownLatch inCheck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            Future<Flag> first = executor.submit(() -> store.upsert("store-serial", "first", new FlagUpdate(true, 100, null),
                    current -> {
                        inCheck.countDown();
                        await().atMost(Duration.ofSeconds(30)).until(() -> release.getCount() == 0);
                    }));
            assertThat(inCheck.await(30, TimeUnit.SECONDS)).isTrue();
            List<Snapshot> seenBySecond = new ArrayList<>();
            CompletableFuture<Flag> second = CompletableFuture.supplyAsync(() -> store.upsert("store-serial", "second",
                    new FlagUpdate(true, 100, null), seenBySecond::add));
            await().atMost(Duration.ofSeconds(30)).until(() -> waitingForAdvisoryLock() == 1);
            assertThat(second).isNotDone();

            release.countDown();
            first.get(30, TimeUnit.SECONDS);
            second.get(30, TimeUnit.SECONDS);
            assertThat(seenBySecond).singleElement().satisfies(current -> assertThat(current.flag("first")).isPresent());
        } finally {
            release.countDown();
            executor.shutdownNow();
        }
    }

    private static int waitingForAdvisoryLock() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                     + " AND wait_event = 'advisory' AND datname = current_database()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void segmentWritesAreAudited() throws SQLException {
        store.actingAs(new Actor("segment-admin", "token-1"))
                .upsertSegment("store-audit", 4, new SegmentUpdate("four", null, JSON.arrayNode()), WriteCheck.NONE);
        sql("DELETE FROM flag_segments WHERE environment = 'store-audit' AND segment_id = 4");

        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT operation, entity_key, actor ->> 'token' FROM audit_log"
                     + " WHERE table_name = 'flag_segments' AND environment = 'store-audit' ORDER BY id")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
            }
            assertThat(rows).containsExactly("INSERT 4 segment-admin", "DELETE 4 null");
        }
    }
}
