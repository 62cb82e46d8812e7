package dev.flagsync.worker.sync;

import dev.flagsync.worker.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends messages the sync cannot read to {@code <topic>.dlq}, unchanged, with the reason in a header. */
public final class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final Producer<String, String> producer;
    private final String topic;

    public DeadLetters(Producer<String, String> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    public Future<RecordMetadata> send(ConsumerRecord<String, String> record, String reason) {
        LOG.warn("dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), reason);
        ProducerRecord<String, String> letter = new ProducerRecord<>(topic, record.key(), record.value());
        letter.headers().add(Topics.DLQ_REASON_HEADER, utf8(reason));
        letter.headers().add("flagsync.dlq.source", utf8(record.topic() + "-" + record.partition() + "@" + record.offset()));
        return producer.send(letter);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
