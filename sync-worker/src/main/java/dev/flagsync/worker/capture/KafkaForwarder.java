package dev.flagsync.worker.capture;

import dev.flagsync.shared.propagation.Micros;
import dev.flagsync.shared.propagation.Stage;
import dev.flagsync.worker.kafka.Topics;
import dev.flagsync.worker.metrics.WorkerMetrics;
import io.debezium.DebeziumException;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends each batch of change records to its change topic (flags or segments) and marks a record
 * processed only once Kafka acknowledged it and every record before it, so Debezium never
 * advances its offset past an unsent change. Records for other destinations (heartbeats, the
 * heartbeat table) are only marked, in their turn. The {@link Listener} hears of every
 * acknowledged run of records, and whether it held a change streamed from the WAL rather than
 * read by the initial snapshot.
 *
 * <p>Debezium hands over one record at a time ({@code max.batch.size=1}: its queue otherwise
 * holds a lone change for the whole poll interval). While more records wait in its queue
 * ({@code moreQueued}) the forwarder does not wait for acknowledgements, so the sends of a burst
 * pipeline; when the queue is empty it waits for all of them, so an idle capture has nothing
 * unacknowledged and its offsets are exact. At most {@link #MAX_UNACKNOWLEDGED} are outstanding.
 * One forwarder serves one engine run (Debezium's thread): what a stopped run left
 * unacknowledged, the next run replays from the last marked offset.
 */
public final class KafkaForwarder implements DebeziumEngine.ChangeConsumer<ChangeEvent<String, String>> {

    /** Sends outstanding at most: bounds the memory a burst against a slow broker holds. */
    static final int MAX_UNACKNOWLEDGED = 500;

    /** What the capture learns from the forwarder; called on Debezium's thread. */
    interface Listener {
        /** Records were acknowledged by Kafka; {@code streamed}: they held a change of the heartbeat table read from the WAL. */
        void forwarded(boolean streamed);
    }

    /** A record handed over by Debezium, its send (null if it is not for Kafka), and when it was received. */
    private record Unacknowledged(ChangeEvent<String, String> record, Future<RecordMetadata> send, boolean streamed,
                                  long receivedNanos) {
    }

    private final Producer<String, String> producer;
    private final Set<String> topics;
    private final String heartbeatTable;
    private final WorkerMetrics metrics;
    private final Listener listener;
    private final BooleanSupplier moreQueued;
    private final ArrayDeque<Unacknowledged> unacknowledged = new ArrayDeque<>();
    private volatile long awaitingAckSince;

    KafkaForwarder(Producer<String, String> producer, Collection<String> topics, String heartbeatTable,
                   WorkerMetrics metrics, Listener listener, BooleanSupplier moreQueued) {
        this.producer = producer;
        this.topics = Set.copyOf(topics);
        this.heartbeatTable = heartbeatTable;
        this.metrics = metrics;
        this.listener = listener;
        this.moreQueued = moreQueued;
    }

    @Override
    public void handleBatch(List<ChangeEvent<String, String>> records,
                            DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer)
            throws InterruptedException {
        long receivedNanos = System.nanoTime();
        long receivedMicros = Micros.now();
        byte[] capturedAt = Long.toString(receivedMicros).getBytes(StandardCharsets.US_ASCII);
        for (ChangeEvent<String, String> record : records) {
            if (topics.contains(record.destination())) {
                EnvelopeSource source = EnvelopeSource.read(record.value());
                if (source.streamed() && source.commitMicros() > 0) {
                    metrics.stages().record(Stage.COMMIT_TO_EVENT, (receivedMicros - source.commitMicros()) * 1_000);
                }
                ProducerRecord<String, String> change = new ProducerRecord<>(record.destination(), record.key(), record.value());
                change.headers().add(Topics.CAPTURED_AT_HEADER, capturedAt);
                Future<RecordMetadata> send = producer.send(change, (metadata, error) -> {
                    if (error == null) {
                        metrics.stages().record(Stage.EVENT_TO_KAFKA_ACK, System.nanoTime() - receivedNanos);
                    }
                });
                unacknowledged.add(new Unacknowledged(record, send, false, receivedNanos));
            } else {
                boolean streamed = heartbeatTable.equals(record.destination()) && isStreamed(record.value());
                unacknowledged.add(new Unacknowledged(record, null, streamed, receivedNanos));
            }
        }
        boolean waitForAll = !moreQueued.getAsBoolean();
        int forwarded = 0;
        boolean streamed = false;
        boolean marked = false;
        try {
            while (!unacknowledged.isEmpty()) {
                Unacknowledged oldest = unacknowledged.peek();
                boolean mustWait = waitForAll || unacknowledged.size() > MAX_UNACKNOWLEDGED;
                if (oldest.send() != null) {
                    if (!oldest.send().isDone() && !mustWait) {
                        break;
                    }
                    awaitingAckSince = oldest.receivedNanos();
                    awaitAck(oldest.send(), oldest.record());
                    forwarded++;
                }
                committer.markProcessed(oldest.record());
                unacknowledged.poll();
                streamed |= oldest.streamed();
                marked = true;
            }
            committer.markBatchFinished();
        } finally {
            awaitingAckSince = 0;
        }
        metrics.captured(forwarded);
        if (marked) {
            listener.forwarded(streamed);
        }
    }

    /** How long the oldest unacknowledged send has been waited for, in nanoseconds; 0 when not waiting. */
    long awaitingAckNanos() {
        long since = awaitingAckSince;
        return since == 0 ? 0 : System.nanoTime() - since;
    }

    /** A change read from the WAL stream: the snapshot's reads are {@code op=r}. */
    static boolean isStreamed(String value) {
        return EnvelopeSource.read(value).streamed();
    }

    private static void awaitAck(Future<RecordMetadata> ack, ChangeEvent<String, String> record) throws InterruptedException {
        try {
            ack.get();
        } catch (ExecutionException e) {
            // Stops the engine; it restarts from the last acknowledged offset, so nothing is lost.
            throw new DebeziumException("Kafka did not acknowledge the change keyed " + record.key(), e.getCause());
        }
    }
}
