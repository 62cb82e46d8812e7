package dev.flagsync.shared.propagation;

/**
 * The stages of a change's way from the commit to the API's streams, in order, each a histogram
 * {@code flagsync_propagation_stage_seconds{stage="<label>"}} in the /metrics of the process
 * that measures it. The one place that names them, so the worker, the API and the benchmark agree.
 *
 * <p>{@link #EVENT_TO_KAFKA_ACK} and {@link #SEND_TO_POLL} both start at the capture's send: the
 * broker answers the producer and the waiting consumer fetch at about the same moment, so the
 * ack runs beside the delivery rather than before it (it matters when it holds up the next batch).
 */
public enum Stage {
    /** Source commit (Debezium's {@code source.ts_us}) until the capture was handed the event. */
    COMMIT_TO_EVENT("commit_to_event", "worker"),
    /** The capture was handed the event until Kafka acknowledged it. */
    EVENT_TO_KAFKA_ACK("event_to_kafka_ack", "worker"),
    /** The capture's send until the sync consumer's poll returned it. */
    SEND_TO_POLL("send_to_poll", "worker"),
    /** Poll returned the event until its batch started to be applied (the coalescing window). */
    COALESCING_WAIT("coalescing_wait", "worker"),
    /** Reading the environment's snapshot from PostgreSQL. */
    DATABASE_LOAD("database_load", "worker"),
    /** Encoding the snapshot and the compare-and-set write to Redis. */
    REDIS_WRITE("redis_write", "worker"),
    /** The worker's PUBLISH until an API instance received the notice. */
    PUBLISH_TO_NOTICE("publish_to_notice", "api"),
    /** The notice arrived until the memory copy was dropped and the streams told. */
    NOTICE_TO_MEMORY_DROPPED("notice_to_memory_dropped", "api"),
    /** The notice arrived until the streams' broadcaster had read the new snapshot. */
    NOTICE_TO_READ("notice_to_read", "api"),
    /** The notice arrived until the frame was written to every stream of the environment (or queued behind a slow one). */
    NOTICE_TO_FRAMES_WRITTEN("notice_to_frames_written", "api");

    /** The Micrometer name; Prometheus shows {@code flagsync_propagation_stage_seconds}. */
    public static final String METRIC = "flagsync.propagation.stage";
    public static final String TAG = "stage";

    private final String label;
    private final String process;

    Stage(String label, String process) {
        this.label = label;
        this.process = process;
    }

    public String label() {
        return label;
    }

    /** "worker" or "api": whose /metrics has it. */
    public String process() {
        return process;
    }
}
