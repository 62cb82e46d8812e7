package dev.flagsync.worker.sync;

import java.sql.SQLException;
import java.util.Set;

/** Whether the transactions that changes came from are visible to a statement that starts now. */
public interface CommitVisibility {

    /** {@code transactionIds}: 32-bit transaction ids as change events carry them. */
    boolean visible(Set<Long> transactionIds) throws SQLException;
}
