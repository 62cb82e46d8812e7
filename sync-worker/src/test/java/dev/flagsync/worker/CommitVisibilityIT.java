package dev.flagsync.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flagsync.localstack.Postgres;
import dev.flagsync.localstack.Servers;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.Snapshot;
import dev.flagsync.shared.lifecycle.Components;
import io.micrometer.core.instrument.Counter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL hands a commit to logical decoding once its WAL is flushed, a moment before the
 * transaction becomes visible to other sessions, and the sync can be faster than that moment: a
 * rewarm that reads the environment then stores the version before the change, and nothing
 * corrects it until the reconciler runs. Here the moment is held open: with a synchronous standby
 * named that never connects, a commit waits after its WAL flush and before it becomes visible
 * (the capture streams it all the same) until the test cancels the wait. The server is this
 * class's own, as the setting is the whole server's.
 */
class CommitVisibilityIT {

    private static final String NAME = "commit_visibility_it";
    private static final String ENV = "visibility";

    private static final Components started = new Components();
    private static Postgres postgres;
    private static Stack stack;
    private static Worker worker;

    @BeforeAll
    static void start() throws Exception {
        postgres = started.own(Servers.postgres());
        stack = started.own(Stack.on(postgres, NAME));
        stack.migrate();
        // Only the test's held session waits for the standby; every other session of this database commits as usual.
        stack.sql("ALTER DATABASE " + NAME + " SET synchronous_commit = local");
        worker = started.own(Worker.start(stack.config(Map.of("RECONCILE_INTERVAL_SECONDS", "3600"))));
        stack.sql("INSERT INTO feature_flags (environment, flag_key, rollout_percentage) VALUES ('" + ENV + "', 'checkout', 25)");
        await().atMost(Duration.ofSeconds(90)).until(() -> cachedVersion() == stack.stored(ENV).version());
        // Closed first: frees any commit still waiting for the standby before the worker stops.
        started.own(() -> superuser("ALTER SYSTEM RESET synchronous_standby_names", "SELECT pg_reload_conf()"));
        superuser("ALTER SYSTEM SET synchronous_standby_names = 'flagsync_never_connects'", "SELECT pg_reload_conf()");
        await().atMost(Duration.ofSeconds(10)).until(() -> "flagsync_never_connects".equals(setting()));
    }

    @AfterAll
    static void stop() {
        started.close();
    }

    @Test
    void aChangeStreamedBeforeItsCommitIsVisibleReachesRedisOnceVisible() throws Exception {
        long before = stack.stored(ENV).version();
        double consumed = worker.metrics().eventsConsumed();
        double rewarms = worker.metrics().changeRewarms();
        try (Connection held = stack.connect(); Statement statement = held.createStatement()) {
            statement.execute("SET synchronous_commit = on");
            int pid = backendPid(statement);
            CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> execute(statement,
                    "UPDATE feature_flags SET rollout_percentage = 75 WHERE environment = '" + ENV + "' AND flag_key = 'checkout'"));

            // The change reached the sync while its transaction is still invisible to every other session.
            await("the change consumed by the sync").atMost(Duration.ofSeconds(30))
                    .until(() -> worker.metrics().eventsConsumed() > consumed);
            await("a rewarm, or the sync waiting for the transaction").atMost(Duration.ofSeconds(30))
                    .until(() -> worker.metrics().changeRewarms() > rewarms || visibilityWaits() > 0);
            assertThat(stack.stored(ENV).version()).isEqualTo(before);
            assertThat(commit).isNotDone();

            stack.sql("SELECT pg_cancel_backend(" + pid + ")"); // ends the wait; the transaction was committed already
            commit.get(30, TimeUnit.SECONDS);
        }
        long after = stack.stored(ENV).version();
        assertThat(after).isEqualTo(before + 1);
        await("Redis at the committed version").atMost(Duration.ofSeconds(10)).until(() -> cachedVersion() == after);
        assertThat(stack.cached(ENV).flatMap(snapshot -> snapshot.flag("checkout")).map(Flag::rolloutPercentage)).contains(75);
    }

    private static long cachedVersion() {
        return stack.cached(ENV).map(Snapshot::version).orElse(-1L);
    }

    /** Looked up by name: 0 while the worker has no such counter. */
    private static double visibilityWaits() {
        Counter waits = worker.metrics().registry().find("flagsync.sync.visibility.waits").counter();
        return waits == null ? 0 : waits.count();
    }

    private static int backendPid(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void execute(Statement statement, String sql) {
        try {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String setting() throws SQLException {
        try (Connection connection = stack.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SHOW synchronous_standby_names")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** ALTER SYSTEM needs a superuser: the embedded server's trusted "postgres", or flagsync in a container. */
    private static void superuser(String... statements) {
        boolean container = "containers".equals(System.getProperty(Servers.BACKEND_PROPERTY));
        String url = "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/postgres";
        try (Connection connection = container ? DriverManager.getConnection(url, postgres.user(), postgres.password())
                : DriverManager.getConnection(url, "postgres", "");
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
