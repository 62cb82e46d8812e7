package dev.flagsync.worker.sync;

import dev.flagsync.worker.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends messages the sync cannot read to the dead-letter topic of the topic they came from
 * ({@code <topic>.dlq}), unchanged, with the reason in a header.
 */
public final class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final Producer<String, String> producer;
    private final Function<String, String> destination;

    /** Each message to {@code <its topic>.dlq}. */
    public DeadLetters(Producer<String, String> producer) {
        this.producer = producer;
        this.destination = Topics::deadLettersOf;
    }

    /** Every message to {@code topic}. */
    public DeadLetters(Producer<String, String> producer, String topic) {
        this.producer = producer;
        this.destination = source -> topic;
    }

    public Future<RecordMetadata> send(ConsumerRecord<String, String> record, String reason) {
        LOG.warn("dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), reason);
        ProducerRecord<String, String> letter = new ProducerRecord<>(destination.apply(record.topic()), record.key(),
                record.value());
        letter.headers().add(Topics.DLQ_REASON_HEADER, utf8(reason));
        letter.headers().add("flagsync.dlq.source", utf8(record.topic() + "-" + record.partition() + "@" + record.offset()));
        return producer.send(letter);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
