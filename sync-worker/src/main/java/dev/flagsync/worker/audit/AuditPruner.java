package dev.flagsync.worker.audit;

import static dev.flagsync.shared.db.schema.Tables.AUDIT_LOG;

import dev.flagsync.shared.lifecycle.BackoffPolicy;
import dev.flagsync.shared.lifecycle.Loop;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes audit entries older than AUDIT_RETENTION_DAYS, in batches so no statement holds many
 * locks, then waits for the next round. Several workers may prune at once: each deletes what is
 * still there. A retention of zero keeps everything.
 */
public final class AuditPruner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditPruner.class);
    static final int BATCH = 10_000;

    private final DSLContext dsl;
    private final Duration retention;
    private final Duration firstDelay;
    private final Duration interval;
    private boolean waited;
    private Loop loop;

    /** @param firstDelay before the first round, so pruning stays out of the way of start-up */
    public AuditPruner(DataSource dataSource, Duration retention, Duration firstDelay, Duration interval) {
        this.dsl = DSL.using(dataSource, SQLDialect.POSTGRES, new Settings().withExecuteLogging(false));
        this.retention = retention;
        this.firstDelay = firstDelay;
        this.interval = interval;
    }

    /** Hourly pruning for the configured retention, the first round a minute after start. */
    public static AuditPruner hourly(DataSource dataSource, Duration retention) {
        return new AuditPruner(dataSource, retention, Duration.ofMinutes(1), Duration.ofHours(1));
    }

    public AuditPruner start() {
        if (retention.isZero()) {
            LOG.info("audit retention is unlimited (AUDIT_RETENTION_DAYS=0): nothing is pruned");
            return this;
        }
        loop = Loop.named("audit-pruner")
                .backoff(BackoffPolicy.exponential(Duration.ofSeconds(1), Duration.ofMinutes(5)))
                .start(this::prune);
        return this;
    }

    private Duration prune(Loop loop) {
        if (!waited) {
            // The worker's start (capture snapshot, warm-up) shares the connection pool and is
            // timing-sensitive; a prune can wait.
            waited = true;
            return firstDelay;
        }
        int deleted = pruneOnce();
        loop.progress();
        // A full batch means more may be waiting: go on at once.
        return deleted == BATCH ? Duration.ZERO : interval;
    }

    /** Deletes one batch of expired entries; returns how many. */
    int pruneOnce() {
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(retention);
        int deleted = dsl.deleteFrom(AUDIT_LOG)
                .where(AUDIT_LOG.ID.in(DSL.select(AUDIT_LOG.ID).from(AUDIT_LOG).where(AUDIT_LOG.AT.lt(cutoff)).limit(BATCH)))
                .execute();
        if (deleted > 0) {
            LOG.info("pruned {} audit entries older than {} days", deleted, retention.toDays());
        }
        return deleted;
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }
}
