package dev.flagsync.worker.capture;

import dev.flagsync.worker.metrics.WorkerMetrics;
import io.debezium.DebeziumException;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends each batch of change records to the change topic and marks a record processed only
 * once Kafka acknowledged it, so Debezium never advances its offset past an unsent change.
 * Records for other destinations (heartbeats, the heartbeat table) are only marked.
 */
public final class KafkaForwarder implements DebeziumEngine.ChangeConsumer<ChangeEvent<String, String>> {

    private final Producer<String, String> producer;
    private final String topic;
    private final WorkerMetrics metrics;

    public KafkaForwarder(Producer<String, String> producer, String topic, WorkerMetrics metrics) {
        this.producer = producer;
        this.topic = topic;
        this.metrics = metrics;
    }

    @Override
    public void handleBatch(List<ChangeEvent<String, String>> records,
                            DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer)
            throws InterruptedException {
        // Send the whole batch first so the sends pipeline, then wait in order.
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        for (ChangeEvent<String, String> record : records) {
            sent.add(topic.equals(record.destination())
                    ? producer.send(new ProducerRecord<>(topic, record.key(), record.value()))
                    : null);
        }
        int forwarded = 0;
        for (int i = 0; i < records.size(); i++) {
            if (sent.get(i) != null) {
                awaitAck(sent.get(i), records.get(i));
                forwarded++;
            }
            committer.markProcessed(records.get(i));
        }
        committer.markBatchFinished();
        metrics.captured(forwarded);
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
