package dev.flagsync.worker.capture;

import dev.flagsync.shared.config.ConfigException;
import dev.flagsync.shared.config.DatabaseConfig;
import dev.flagsync.worker.kafka.KafkaSettings;
import dev.flagsync.worker.kafka.Topics;
import java.net.URI;
import java.time.Duration;
import java.util.Properties;

/** The Debezium engine's configuration, derived from the worker's; pure, so it is unit-tested. */
public final class CaptureProperties {

    /** Written by Debezium's heartbeat so the slot advances even when feature_flags is idle. */
    public static final String HEARTBEAT_TABLE = "public.flagsync_heartbeat";
    static final String HEARTBEAT_QUERY = "INSERT INTO flagsync_heartbeat (id, beat_at) VALUES (1, now()) "
            + "ON CONFLICT (id) DO UPDATE SET beat_at = EXCLUDED.beat_at";

    /** CAPTURE_POLL_INTERVAL_MS's default; docs/benchmarks.md ("Idle CPU") has both sides of it. */
    public static final int DEFAULT_POLL_INTERVAL_MS = 10;

    private CaptureProperties() {
    }

    public static Properties from(DatabaseConfig database, String slot, Duration heartbeatInterval, KafkaSettings kafka) {
        return from(database, slot, heartbeatInterval, kafka, Duration.ofMillis(DEFAULT_POLL_INTERVAL_MS));
    }

    public static Properties from(DatabaseConfig database, String slot, Duration heartbeatInterval, KafkaSettings kafka,
                                  Duration pollInterval) {
        URI db = parseJdbcUrl(database.url());
        Properties p = new Properties();
        p.setProperty("name", "flagsync-capture-" + slot);
        // Debezium's connector, with a poll that sleeps while nothing is queued (WakingQueue says why).
        p.setProperty("connector.class", IdleAwarePostgresConnector.class.getName());
        p.setProperty("queue.provider.type", WakingQueue.NAME);
        p.setProperty("database.hostname", db.getHost());
        p.setProperty("database.port", Integer.toString(db.getPort() == -1 ? 5432 : db.getPort()));
        p.setProperty("database.dbname", db.getPath().substring(1));
        p.setProperty("database.user", database.user());
        p.setProperty("database.password", database.password());
        p.putAll(JdbcSsl.debeziumProperties(database.url()));
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", slot);
        // One publication per slot, so two installations on one cluster never share one.
        p.setProperty("publication.name", slot);
        // "all_tables" needs a superuser; "filtered" publishes only the listed tables.
        p.setProperty("publication.autocreate.mode", "filtered");
        // An existing publication is altered to this list at start ("filtered" mode), so a worker
        // upgraded to a release that captures flag_segments adds it to its publication itself.
        p.setProperty("table.include.list", "public.feature_flags,public.flag_segments," + HEARTBEAT_TABLE);
        p.setProperty("snapshot.mode", "initial");
        // Debezium skips truncates by default; the sync rewarms every environment on one.
        p.setProperty("skipped.operations", "none");
        // Debezium sleeps this long whenever the WAL stream is empty (and its queue would hold a
        // batch this long, but see max.batch.size): the default 500 ms adds up to a second. Its reader
        // thread waking every interval is most of the worker's idle CPU: CAPTURE_POLL_INTERVAL_MS
        // trades one for the other, docs/benchmarks.md ("Idle CPU") has both figures.
        p.setProperty("poll.interval.ms", Long.toString(pollInterval.toMillis()));
        // One record per batch: Debezium's queue waits the poll interval for a batch to fill, so a
        // lone change would wait it out; KafkaForwarder pipelines the sends of a burst instead.
        p.setProperty("max.batch.size", "1");
        p.setProperty("heartbeat.interval.ms", Long.toString(heartbeatInterval.toMillis()));
        p.setProperty("heartbeat.action.query", HEARTBEAT_QUERY);
        p.setProperty("topic.prefix", kafka.topicPrefix());
        // Plain JSON envelopes: a third of the bytes of schema-wrapped ones, and the sync accepts both.
        p.setProperty("converter.schemas.enable", "false");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.KafkaOffsetBackingStore");
        p.setProperty("offset.storage.topic", Topics.captureOffsets(kafka.topicPrefix()));
        p.setProperty("offset.storage.partitions", "1");
        p.setProperty("offset.storage.replication.factor", Short.toString(kafka.replicationFactor()));
        p.setProperty("bootstrap.servers", kafka.bootstrapServers());
        // Top-level client settings reach the offset store's producer, consumer and admin client.
        kafka.security().applyTo(p);
        // Debezium confirms the LSN to PostgreSQL only after flushing offsets: flush often so
        // the slot frees WAL promptly and a crash replays at most a second of changes.
        p.setProperty("offset.flush.interval.ms", "1000");
        return p;
    }

    static URI parseJdbcUrl(String url) {
        try {
            URI uri = URI.create(url.substring("jdbc:".length()));
            if (uri.getHost() != null && uri.getPath() != null && uri.getPath().length() > 1) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new ConfigException("DATABASE_URL must be jdbc:postgresql://host[:port]/database for the capture role"
                + " (one host; Debezium connects to it directly)");
    }
}
