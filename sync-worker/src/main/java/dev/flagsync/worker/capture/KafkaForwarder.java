package dev.flagsync.worker.capture;

import dev.flagsync.shared.propagation.Micros;
import dev.flagsync.shared.propagation.Stage;
import dev.flagsync.worker.kafka.Topics;
import dev.flagsync.worker.metrics.WorkerMetrics;
import io.debezium.DebeziumException;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends each batch of change records to its change topic (flags or segments) and marks a record
 * processed only once Kafka acknowledged it, so Debezium never advances its offset past an unsent
 * change. Records for other destinations (heartbeats, the heartbeat table) are only marked. The
 * {@link Listener} hears of every finished batch, and whether it held a change streamed from
 * the WAL rather than read by the initial snapshot.
 */
public final class KafkaForwarder implements DebeziumEngine.ChangeConsumer<ChangeEvent<String, String>> {

    /** What the capture learns from the forwarder; called on Debezium's thread. */
    interface Listener {
        /** A batch was acknowledged by Kafka; {@code streamed}: it held a change of the heartbeat table read from the WAL. */
        void forwarded(boolean streamed);
    }

    private final Producer<String, String> producer;
    private final Set<String> topics;
    private final String heartbeatTable;
    private final WorkerMetrics metrics;
    private final Listener listener;
    private volatile long awaitingAckSince;

    KafkaForwarder(Producer<String, String> producer, Collection<String> topics, String heartbeatTable,
                   WorkerMetrics metrics, Listener listener) {
        this.producer = producer;
        this.topics = Set.copyOf(topics);
        this.heartbeatTable = heartbeatTable;
        this.metrics = metrics;
        this.listener = listener;
    }

    @Override
    public void handleBatch(List<ChangeEvent<String, String>> records,
                            DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer)
            throws InterruptedException {
        long receivedNanos = System.nanoTime();
        long receivedMicros = Micros.now();
        byte[] capturedAt = Long.toString(receivedMicros).getBytes(StandardCharsets.US_ASCII);
        // Send the whole batch first so the sends pipeline, then wait in order.
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        boolean streamed = false;
        for (ChangeEvent<String, String> record : records) {
            if (topics.contains(record.destination())) {
                EnvelopeSource source = EnvelopeSource.read(record.value());
                if (source.streamed() && source.commitMicros() > 0) {
                    metrics.stages().record(Stage.COMMIT_TO_EVENT, (receivedMicros - source.commitMicros()) * 1_000);
                }
                ProducerRecord<String, String> change = new ProducerRecord<>(record.destination(), record.key(), record.value());
                change.headers().add(Topics.CAPTURED_AT_HEADER, capturedAt);
                sent.add(producer.send(change));
            } else {
                sent.add(null);
                streamed |= heartbeatTable.equals(record.destination()) && isStreamed(record.value());
            }
        }
        int forwarded = 0;
        awaitingAckSince = receivedNanos;
        try {
            for (int i = 0; i < records.size(); i++) {
                if (sent.get(i) != null) {
                    awaitAck(sent.get(i), records.get(i));
                    metrics.stages().record(Stage.EVENT_TO_KAFKA_ACK, System.nanoTime() - receivedNanos);
                    forwarded++;
                }
                committer.markProcessed(records.get(i));
            }
            committer.markBatchFinished();
        } finally {
            awaitingAckSince = 0;
        }
        metrics.captured(forwarded);
        listener.forwarded(streamed);
    }

    /** How long the current batch has waited for Kafka's acknowledgement, in nanoseconds; 0 when not waiting. */
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
