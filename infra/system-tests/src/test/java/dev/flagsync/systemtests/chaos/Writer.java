package dev.flagsync.systemtests.chaos;

import dev.flagsync.localstack.Postgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * Commits changes continuously with plain SQL, as psql or an admin tool would: per environment one
 * connection and one thread, each transaction an UPDATE, INSERT or DELETE of one flag followed by
 * a read of the version it produced and its transaction id. Only changes whose COMMIT was
 * acknowledged go into the {@link Ledger}; one whose COMMIT got no answer (PostgreSQL shutting
 * down) is looked up with {@code txid_status} once the database answers again.
 */
final class Writer implements AutoCloseable {

    private static final String VERSION = "SELECT version, txid_current() FROM flag_environment_versions WHERE environment = ?";

    private final Postgres postgres;
    private final Ledger ledger;
    private final IntSupplier phase;
    private final long intervalNanos;
    private final List<Thread> threads = new ArrayList<>();
    private final LongAdder refused = new LongAdder();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    Writer(Postgres postgres, List<String> environments, int perSecond, Ledger ledger, IntSupplier phase) {
        this.postgres = postgres;
        this.ledger = ledger;
        this.phase = phase;
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
        for (String environment : environments) {
            threads.add(Thread.ofPlatform().daemon().name("writer-" + environment).unstarted(() -> run(environment)));
        }
    }

    Writer start() {
        threads.forEach(Thread::start);
        return this;
    }

    /** Statements that failed (PostgreSQL down or restarting) and were tried again. */
    long refused() {
        return refused.sum();
    }

    /** Why a writer stopped before close(): it met something it cannot explain, which fails the run. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    private void run(String environment) {
        FlagPool flags = new FlagPool(environment);
        Connection connection = null;
        long next = System.nanoTime();
        while (!stopped) {
            LockSupport.parkNanos(next - System.nanoTime());
            next = Math.max(next + intervalNanos, System.nanoTime());
            try {
                if (connection == null) {
                    connection = connect();
                    flags.reload(connection);
                }
                commitOne(connection, flags);
            } catch (SQLException e) {
                refused.increment();
                closeQuietly(connection);
                connection = null;
            } catch (RuntimeException e) {
                failures.add("writer of " + environment + ": " + e.getMessage());
                break;
            }
        }
        closeQuietly(connection);
    }

    private void commitOne(Connection connection, FlagPool flags) throws SQLException {
        FlagPool.Change change = flags.next();
        connection.setAutoCommit(false);
        long version;
        long txid;
        try {
            try (PreparedStatement statement = change.prepare(connection)) {
                if (statement.executeUpdate() != 1) {
                    throw new IllegalStateException(change + " changed no row: someone else writes to " + flags.environment);
                }
            }
            try (PreparedStatement query = connection.prepareStatement(VERSION)) {
                query.setString(1, flags.environment);
                try (ResultSet result = query.executeQuery()) {
                    result.next();
                    version = result.getLong(1);
                    txid = result.getLong(2);
                }
            }
        } catch (SQLException e) {
            rollbackQuietly(connection);
            throw e;
        }
        try {
            connection.commit();
        } catch (SQLException e) {
            if (resolve(txid)) {
                ledger.add(new Ledger.Commit(flags.environment, version, txid, Ledger.UNKNOWN, phase.getAsInt()));
                flags.applied(change);
            }
            throw e;
        }
        ledger.add(new Ledger.Commit(flags.environment, version, txid, System.nanoTime(), phase.getAsInt()));
        flags.applied(change);
    }

    /** Whether a transaction whose COMMIT got no answer committed; asks until PostgreSQL answers. */
    private boolean resolve(long txid) {
        while (true) {
            try (Connection connection = connect();
                 PreparedStatement query = connection.prepareStatement("SELECT txid_status(?)")) {
                query.setLong(1, txid);
                try (ResultSet result = query.executeQuery()) {
                    result.next();
                    return "committed".equals(result.getString(1));
                }
            } catch (SQLException e) {
                refused.increment();
                if (stopped) {
                    throw new IllegalStateException("stopped before the outcome of transaction " + txid + " was known", e);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", postgres.user());
        properties.setProperty("password", postgres.password());
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("socketTimeout", "10");
        return DriverManager.getConnection(postgres.jdbcUrl(), properties);
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; closing it discards the transaction
        }
    }

    private static void closeQuietly(Connection connection) {
        Optional.ofNullable(connection).ifPresent(c -> {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken
            }
        });
    }

    /** Stops the writers after the change each is making. */
    @Override
    public void close() {
        stopped = true;
        Threads.joinAll(threads, Duration.ofSeconds(30));
    }
}
