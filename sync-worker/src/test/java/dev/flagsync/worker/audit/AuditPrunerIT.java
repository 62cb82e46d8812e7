package dev.flagsync.worker.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.flagsync.localstack.Postgres;
import dev.flagsync.localstack.Servers;
import dev.flagsync.shared.config.DatabaseConfig;
import dev.flagsync.shared.db.Databases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The worker's pruner removes audit entries past AUDIT_RETENTION_DAYS, and nothing newer. */
class AuditPrunerIT {

    private static Postgres postgres;
    private static HikariDataSource pool;

    @BeforeAll
    static void start() {
        postgres = Servers.postgres();
        pool = Databases.pool(new DatabaseConfig(postgres.jdbcUrl(), postgres.user(), postgres.password()), "it", 2);
        Databases.migrate(pool);
    }

    @AfterAll
    static void stop() {
        pool.close();
        postgres.close();
    }

    private static long sql(String statement) {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            if (s.execute(statement)) {
                try (ResultSet rs = s.getResultSet()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
            return s.getUpdateCount();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void prunesEntriesOlderThanTheRetentionOnly() {
        sql("INSERT INTO feature_flags (environment, flag_key) SELECT 'prune', 'old-' || i FROM generate_series(1, 25) i");
        sql("UPDATE audit_log SET at = now() - interval '91 days' WHERE environment = 'prune'");
        sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('prune', 'recent')");
        sql("UPDATE audit_log SET at = now() - interval '89 days' WHERE entity_key = 'recent'");

        AuditPruner pruner = new AuditPruner(pool, Duration.ofDays(90), Duration.ZERO, Duration.ofHours(1)).start();
        try {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> sql("SELECT count(*) FROM audit_log WHERE environment = 'prune'") == 1);
        } finally {
            pruner.close();
        }
        assertThat(sql("SELECT count(*) FROM audit_log WHERE entity_key = 'recent'")).isEqualTo(1);
    }

    @Test
    void zeroRetentionKeepsEverything() {
        sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('keep', 'ancient')");
        sql("UPDATE audit_log SET at = now() - interval '10 years' WHERE environment = 'keep'");

        new AuditPruner(pool, Duration.ZERO, Duration.ZERO, Duration.ofHours(1)).start().close();

        assertThat(sql("SELECT count(*) FROM audit_log WHERE environment = 'keep'")).isEqualTo(1);
    }

    @Test
    void aFullBatchIsFollowedByAnotherAtOnce() {
        sql("INSERT INTO feature_flags (environment, flag_key) SELECT 'batch', 'k-' || i FROM generate_series(1, "
                + (AuditPruner.BATCH + 5) + ") i");
        sql("UPDATE audit_log SET at = now() - interval '2 days' WHERE environment = 'batch'");

        AuditPruner pruner = new AuditPruner(pool, Duration.ofDays(1), Duration.ZERO, Duration.ofHours(1)).start();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> sql("SELECT count(*) FROM audit_log WHERE environment = 'batch'") == 0);
        } finally {
            pruner.close();
        }
    }
}
