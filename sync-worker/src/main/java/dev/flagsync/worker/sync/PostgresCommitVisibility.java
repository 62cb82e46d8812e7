package dev.flagsync.worker.sync;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import javax.sql.DataSource;

/**
 * {@link CommitVisibility} asked of PostgreSQL: a transaction is visible to every later statement
 * once a snapshot counts it as completed. The change events come only from committed transactions,
 * so completed means committed. One read-only round trip.
 */
public final class PostgresCommitVisibility implements CommitVisibility {

    private final DataSource pool;

    public PostgresCommitVisibility(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public boolean visible(Set<Long> transactionIds) throws SQLException {
        if (transactionIds.isEmpty()) {
            return true;
        }
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT pg_current_snapshot()::text")) {
            rs.next();
            XidSnapshot snapshot = XidSnapshot.parse(rs.getString(1));
            return transactionIds.stream().allMatch(snapshot::completed);
        }
    }
}
