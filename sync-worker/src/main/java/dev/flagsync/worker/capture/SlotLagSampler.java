package dev.flagsync.worker.capture;

import dev.flagsync.worker.Backoff;
import dev.flagsync.worker.metrics.WorkerMetrics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples how much WAL the replication slot holds back. It grows without bound while no
 * capture runs, so this is the gauge to alert on (see docs/sync-worker.md).
 */
public final class SlotLagSampler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SlotLagSampler.class);
    private static final String QUERY = "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint "
            + "FROM pg_replication_slots WHERE slot_name = ?";

    private final DataSource dataSource;
    private final String slot;
    private final WorkerMetrics metrics;
    private final Duration interval;
    private final Backoff waits = new Backoff(Duration.ZERO, Duration.ZERO);
    private final Thread thread;

    public SlotLagSampler(DataSource dataSource, String slot, WorkerMetrics metrics, Duration interval) {
        this.dataSource = dataSource;
        this.slot = slot;
        this.metrics = metrics;
        this.interval = interval;
        this.thread = Thread.ofPlatform().name("slot-lag").daemon(true).unstarted(this::loop);
    }

    public void start() {
        thread.start();
    }

    private void loop() {
        do {
            try {
                metrics.slotLag(sample());
            } catch (SQLException | RuntimeException e) {
                metrics.slotLag(-1);
                LOG.debug("could not sample lag of slot {}: {}", slot, e.toString());
            }
        } while (waits.waitFor(interval));
    }

    long sample() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(QUERY)) {
            statement.setString(1, slot);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        waits.cancel();
        thread.join(Duration.ofSeconds(5));
    }
}
