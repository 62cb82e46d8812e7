package dev.flagsync.api;

import dev.flagsync.shared.db.Databases;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flyway migrations, run at start. The API can serve from Redis with PostgreSQL down, so a
 * failed migration is not fatal: it is tried again before PostgreSQL is next relied on.
 */
final class Schema {

    private static final Logger LOG = LoggerFactory.getLogger(Schema.class);

    private final DataSource dataSource;
    private volatile boolean migrated;

    Schema(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Migrates unless already done; logs and returns false when PostgreSQL cannot be migrated now. */
    boolean tryMigrate() {
        try {
            ensureMigrated();
            return true;
        } catch (RuntimeException e) {
            LOG.error("database migration failed; serving from Redis until PostgreSQL is back: {}", e.getMessage());
            return false;
        }
    }

    /** Migrates unless already done; throws when it cannot. */
    void ensureMigrated() {
        if (!migrated) {
            Databases.migrate(dataSource);
            migrated = true;
        }
    }
}
