package dev.flagsync.shared.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.flagsync.localstack.Postgres;
import dev.flagsync.localstack.Servers;
import dev.flagsync.shared.config.DatabaseConfig;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.FlagUpdate;
import dev.flagsync.shared.flag.InvalidFlagException;
import dev.flagsync.shared.flag.Snapshot;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JooqFlagStoreIT {

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
}
