package dev.flagsync.worker.capture;

import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnectorTask;
import io.debezium.connector.postgresql.PostgresOffsetContext;
import io.debezium.connector.postgresql.PostgresPartition;
import io.debezium.pipeline.ChangeEventSourceCoordinator;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debezium's PostgreSQL task, except that its poll first sleeps until a change is queued (see
 * {@link WakingQueue} for why), so an idle worker's polling thread does not wake every
 * {@code poll.interval.ms}. Everything else is Debezium's own.
 */
public class IdleAwarePostgresTask extends PostgresConnectorTask {

    /** The longest a poll sleeps with nothing queued: bounds how long a stop or an error waits for the poller. */
    static final Duration IDLE_WAIT = Duration.ofMillis(500);
    private static final Logger LOG = LoggerFactory.getLogger(IdleAwarePostgresTask.class);

    private volatile WakingQueue<?> queue;

    @Override
    public ChangeEventSourceCoordinator<PostgresPartition, PostgresOffsetContext> start(Configuration config) {
        ChangeEventSourceCoordinator<PostgresPartition, PostgresOffsetContext> coordinator = super.start(config);
        String id = config.getString(WakingQueue.ID);
        queue = WakingQueue.forId(id);
        if (queue == null) {
            LOG.warn("capture queue {} not found: the engine polls every poll.interval.ms while idle", id);
        }
        return coordinator;
    }

    @Override
    public List<SourceRecord> doPoll() throws InterruptedException {
        WakingQueue<?> waking = queue;
        if (waking != null) {
            waking.awaitRecords(IDLE_WAIT);
        }
        return super.doPoll();
    }

    @Override
    protected void doStop() {
        WakingQueue<?> waking = queue;
        if (waking != null) {
            waking.wake();
        }
        super.doStop();
    }
}
