package dev.flagsync.worker.capture;

import dev.flagsync.shared.config.DatabaseConfig;
import dev.flagsync.worker.Backoff;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
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

    private final Connection connection;

    private SlotLock(Connection connection) {
        this.connection = connection;
    }

    /** Blocks until the lock is held; empty when the wait was cancelled. */
    static Optional<SlotLock> acquire(DatabaseConfig database, String slot, Backoff cancellable) throws SQLException {
        Connection connection = DriverManager.getConnection(database.url(), database.user(), database.password());
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
            lock.setString(1, "flagsync.capture." + slot);
            boolean logged = false;
            while (!cancellable.isCancelled()) {
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        LOG.info("holding the capture lock for slot {}", slot);
                        return Optional.of(new SlotLock(connection));
                    }
                }
                if (!logged) {
                    LOG.info("another worker captures slot {}; standing by", slot);
                    logged = true;
                }
                cancellable.waitFor(RETRY);
            }
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        connection.close();
        return Optional.empty();
    }

    @Override
    public void close() throws SQLException {
        // Closing the session releases the lock, even if the unlock statement were skipped.
        connection.close();
    }
}
