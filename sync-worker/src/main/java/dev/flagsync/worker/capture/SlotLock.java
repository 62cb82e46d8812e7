package dev.flagsync.worker.capture;

import dev.flagsync.shared.config.DatabaseConfig;
import dev.flagsync.shared.lifecycle.Loop;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL session advisory lock named after the slot, held on its own connection while
 * this process captures. A replication slot admits one reader, so a second worker waits here
 * instead of failing on the slot; PostgreSQL drops the lock when the holder's session ends.
 */
final class SlotLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SlotLock.class);
    static final Duration RETRY = Duration.ofSeconds(1);
    /** How often the lock is tried again while PostgreSQL refuses connections. */
    static final Duration RECONNECT = Duration.ofMillis(500);
    static final String APPLICATION_NAME = "flagsync-capture-lock";
    private static final String HELD = "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
            + " AND granted AND pid = pg_backend_pid())";
    private static final String SLOT_READER = "SELECT active_pid FROM pg_replication_slots WHERE slot_name = ?";

    private final Connection connection;
    private final String slot;

    private SlotLock(Connection connection, String slot) {
        this.connection = connection;
        this.slot = slot;
    }

    /**
     * Blocks until the lock is held, calling {@code onStandby} once if it has to wait; empty when the
     * loop stops. While PostgreSQL refuses connections (down, restarting) it tries again every
     * {@link #RECONNECT}, not after the loop's growing backoff: nothing is started meanwhile, so
     * waiting longer saves nothing, and every second waited after PostgreSQL is back holds changes
     * back (a 10 s restart cost 7 s more before, found by bin/chaos).
     */
    static Optional<SlotLock> acquire(DatabaseConfig database, String slot, Loop loop, Runnable onStandby)
            throws SQLException {
        Optional<Connection> reached = connectOnceUp(database, slot, loop);
        if (reached.isEmpty()) {
            return Optional.empty();
        }
        Connection connection = reached.get();
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
            lock.setString(1, "flagsync.capture." + slot);
            boolean logged = false;
            while (!loop.stopping()) {
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        LOG.info("holding the capture lock for slot {}", slot);
                        return Optional.of(new SlotLock(connection, slot));
                    }
                }
                if (!logged) {
                    LOG.info("another worker captures slot {}; standing by", slot);
                    onStandby.run();
                    logged = true;
                }
                loop.pause(RETRY);
            }
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        connection.close();
        return Optional.empty();
    }

    private static Optional<Connection> connectOnceUp(DatabaseConfig database, String slot, Loop loop) throws SQLException {
        boolean logged = false;
        while (!loop.stopping()) {
            try {
                return Optional.of(connect(database));
            } catch (SQLException e) {
                if (!refused(e)) {
                    throw e;
                }
                if (!logged) {
                    LOG.warn("PostgreSQL does not take connections ({}); trying the capture lock for slot {} again every {} ms",
                            e.getMessage(), slot, RECONNECT.toMillis());
                    logged = true;
                }
                loop.pause(RECONNECT);
            }
        }
        return Optional.empty();
    }

    /** Connection refused or lost (SQLSTATE class 08), or the server starting up or shutting down (57P03, 57P01). */
    static boolean refused(SQLException e) {
        String state = String.valueOf(e.getSQLState());
        return state.startsWith("08") || state.equals("57P03") || state.equals("57P01");
    }

    /** Timeouts, so that a check on a connection lost in the network fails instead of hanging. */
    private static Connection connect(DatabaseConfig database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", database.user());
        properties.setProperty("password", database.password());
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "10");
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        return DriverManager.getConnection(database.url(), properties);
    }

    /**
     * Whether this session still holds the lock. False once the session is gone (terminated,
     * network lost): a standby may then hold the lock, so this process must stop reading the slot.
     */
    boolean isHeld() {
        try (PreparedStatement held = connection.prepareStatement(HELD); ResultSet rs = held.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        } catch (SQLException e) {
            LOG.warn("capture lock check for slot {} failed: {}", slot, e.toString());
            return false;
        }
    }

    /**
     * Waits for the engine's {@code run} to end, running {@code tick} and checking that the lock is
     * still held every {@code interval} (asked anew each time); false as soon as the lock is gone,
     * because a standby may hold it by now.
     */
    boolean holdWhile(Future<?> run, Supplier<Duration> interval, Runnable tick) throws InterruptedException {
        while (true) {
            try {
                awaitEnd(run, interval.get());
                return true;
            } catch (TimeoutException e) {
                tick.run();
                if (!isHeld()) {
                    return false;
                }
            }
        }
    }

    /** Waits for the engine's run to end; its failures are reported by its completion callback. */
    static void awaitEnd(Future<?> run, Duration timeout) throws InterruptedException, TimeoutException {
        try {
            run.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            LOG.debug("capture engine run ended with {}", e.getCause().toString());
        }
    }

    /**
     * Waits while the slot still has a reader: the previous holder of the lock may still be
     * stopping its engine. Starting now would fail on the busy slot and back off for longer.
     */
    void awaitSlotFree(Loop loop) throws SQLException {
        boolean logged = false;
        try (PreparedStatement reader = connection.prepareStatement(SLOT_READER)) {
            reader.setString(1, slot);
            while (!loop.stopping()) {
                try (ResultSet rs = reader.executeQuery()) {
                    if (!rs.next() || rs.getObject(1) == null) {
                        return;
                    }
                    if (!logged) {
                        LOG.info("slot {} is still read by backend {}; waiting for it to stop", slot, rs.getInt(1));
                        logged = true;
                    }
                }
                loop.pause(Duration.ofMillis(200));
            }
        }
    }

    @Override
    public void close() throws SQLException {
        // Closing the session releases the lock, even if the unlock statement were skipped.
        connection.close();
    }
}
