package dev.flagsync.worker.kafka;

import java.util.List;
import java.util.regex.Pattern;

/** Every Kafka name the worker uses (contract sections 3 and 6), in one place. */
public final class Topics {

    /** Consumer group of the sync role unless {@code SYNC_GROUP_ID} says otherwise. */
    public static final String DEFAULT_SYNC_GROUP = "flagsync-sync";

    /** Header of a dead-lettered message that says why it could not be applied. */
    public static final String DLQ_REASON_HEADER = "flagsync.dlq.reason";

    /**
     * Header of a change message: when the capture was handed the event, epoch microseconds as
     * decimal text, so the sync can time the way through Kafka ({@code send_to_poll}).
     */
    public static final String CAPTURED_AT_HEADER = "flagsync.captured.us";

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    private Topics() {
    }

    /** Whether a {@code TOPIC_PREFIX} makes valid topic names: 1-200 of A-Z a-z 0-9 . _ - */
    public static boolean isValidPrefix(String prefix) {
        return PREFIX.matcher(prefix).matches();
    }

    /** Debezium's naming: {@code <topic.prefix>.<schema>.<table>}. */
    public static String changes(String prefix) {
        return prefix + ".public.feature_flags";
    }

    /** Changes of the environments' segments, on a topic of their own (Debezium's name for {@code flag_segments}). */
    public static String segmentChanges(String prefix) {
        return prefix + ".public.flag_segments";
    }

    /** Every topic the capture forwards and the sync consumes: both touch environments' snapshots. */
    public static List<String> changeTopics(String prefix) {
        return List.of(changes(prefix), segmentChanges(prefix));
    }

    /** The dead-letter topic of the flags' change topic. */
    public static String deadLetters(String prefix) {
        return deadLettersOf(changes(prefix));
    }

    /** The dead-letter topic of a change topic: {@code <topic>.dlq}. */
    public static String deadLettersOf(String changeTopic) {
        return changeTopic + ".dlq";
    }

    /** Where the capture's Debezium offsets (the last acknowledged LSN) live. */
    public static String captureOffsets(String prefix) {
        return prefix + ".capture-offsets";
    }

    /** Debezium's destination for changes of the capture's heartbeat table, which are not forwarded. */
    public static String heartbeatTable(String prefix) {
        return prefix + ".public.flagsync_heartbeat";
    }
}
