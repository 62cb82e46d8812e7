package dev.flagsync.systemtests.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the run does on Kafka itself: the poison messages, the check that they reached the dead
 * letter topic, and the audit that every committed transaction is on the change topic (so the
 * capture delivered each change, not only a later snapshot of its environment).
 */
final class Topics {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REASON_HEADER = "flagsync.dlq.reason"; // contract section 3

    private final String bootstrapServers;
    private final String marker = "chaos-poison-" + UUID.randomUUID();

    Topics(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** One record that is not JSON onto each partition of the change topic; returns how many. */
    int sendPoison() {
        Map<String, Object> settings = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings)) {
            int partitions = producer.partitionsFor(ChaosStack.CHANGE_TOPIC).size();
            for (int partition = 0; partition < partitions; partition++) {
                producer.send(new ProducerRecord<>(ChaosStack.CHANGE_TOPIC, partition, "{\"poison\":" + partition + "}",
                        marker + " #" + partition + " {this is not JSON"));
            }
            producer.flush();
            return partitions;
        }
    }

    /** Empty once every poison message is on the dead letter topic with its reason; else what is missing. */
    Optional<String> poisonNotDeadLettered(int sent) {
        Set<String> found = new HashSet<>();
        readAll(ChaosStack.DEAD_LETTER_TOPIC, record -> {
            Header reason = record.headers().lastHeader(REASON_HEADER);
            if (record.value() != null && record.value().startsWith(marker) && reason != null) {
                found.add(record.value());
            }
        });
        return found.size() >= sent ? Optional.empty()
                : Optional.of(found.size() + " of " + sent + " poison messages on " + ChaosStack.DEAD_LETTER_TOPIC);
    }

    /** The transaction ids of every change event of these environments on the change topic. */
    Set<Long> capturedTransactions(Set<String> environments) {
        Set<Long> txids = new HashSet<>();
        readAll(ChaosStack.CHANGE_TOPIC, record -> {
            if (record.value() == null || record.value().startsWith(marker)) {
                return; // a tombstone, or our poison
            }
            try {
                JsonNode event = JSON.readTree(record.value().getBytes(StandardCharsets.UTF_8));
                JsonNode payload = event.has("payload") ? event.get("payload") : event;
                String environment = payload.path("after").path("environment").asText(
                        payload.path("before").path("environment").asText(""));
                if (environments.contains(environment) && !"r".equals(payload.path("op").asText())) {
                    txids.add(payload.path("source").path("txId").asLong());
                }
            } catch (IOException e) {
                throw new IllegalStateException("unreadable record on " + record.topic() + "-" + record.partition()
                        + "@" + record.offset() + ": " + e.getMessage(), e);
            }
        });
        return txids;
    }

    /** Every record of the topic up to its end offsets as of now. */
    private void readAll(String topic, Consumer<ConsumerRecord<String, String>> each) {
        Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 60 s");
                }
                consumer.poll(Duration.ofMillis(500)).forEach(each);
            }
        }
    }
}
