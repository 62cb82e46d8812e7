package dev.flagsync.worker.capture;

import dev.flagsync.shared.lifecycle.BackoffPolicy;
import dev.flagsync.shared.lifecycle.Loop;
import dev.flagsync.worker.metrics.HealthCheck;
import dev.flagsync.worker.metrics.WorkerMetrics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Samples how much WAL the replication slot holds back. It grows without bound while no
 * capture runs, so this is the gauge to alert on (see docs/sync-worker.md).
 */
public final class SlotLagSampler implements AutoCloseable {

    private static final String QUERY = "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint "
            + "FROM pg_replication_slots WHERE slot_name = ?";

    private final DataSource dataSource;
    private final String slot;
    private final WorkerMetrics metrics;
    private final Duration interval;
    private final Loop loop;

    public SlotLagSampler(DataSource dataSource, String slot, WorkerMetrics metrics, Duration interval) {
        this.dataSource = dataSource;
        this.slot = slot;
        this.metrics = metrics;
        this.interval = interval;
        // A failed sample is retried at the next interval, not sooner: it is only a gauge.
        this.loop = Loop.named("slot-lag").backoff(BackoffPolicy.exponential(interval, interval)).build(this::step);
    }

    public SlotLagSampler start() {
        loop.start();
        return this;
    }

    /** Liveness only: a gauge that cannot be sampled must not take the worker out of service. */
    public HealthCheck health() {
        return HealthCheck.ofHelper(loop);
    }

    private Duration step(Loop loop) throws SQLException {
        try {
            metrics.slotLag(sample());
        } catch (SQLException | RuntimeException e) {
            metrics.slotLag(-1);
            throw e;
        }
        loop.progress();
        return interval;
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
    public void close() {
        loop.close();
    }
}
