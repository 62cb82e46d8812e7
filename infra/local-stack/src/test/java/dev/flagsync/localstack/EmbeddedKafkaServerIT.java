package dev.flagsync.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaServerIT {

    private final Path dataDir = Directories.createTemp("flagsync-kafka-it-");
    private final EmbeddedKafkaServer kafka = EmbeddedKafkaServer.startOn(Ports.free(), Ports.free(), dataDir);

    @AfterEach
    void closeServer() {
        kafka.close();
    }

    @Test
    void deliversARecordToAnAutoCreatedTopic() throws Exception {
        assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");

        produce("greetings", "hello");

        assertThat(consumeAll("greetings", 1)).containsExactly("hello");
    }

    @Test
    void keepsPortAndRecordsAcrossStopAndStart() throws Exception {
        produce("survivors", "before-restart");
        String bootstrap = kafka.bootstrapServers();

        kafka.stop();
        assertThat(kafka.isRunning()).isFalse();
        kafka.start();

        assertThat(kafka.isRunning()).isTrue();
        assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
        produce("survivors", "after-restart");
        assertThat(consumeAll("survivors", 2)).containsExactly("before-restart", "after-restart");
    }

    @Test
    void closeDeletesTheDataFolder() {
        kafka.close();

        assertThat(kafka.isRunning()).isFalse();
        assertThat(Files.exists(dataDir)).isFalse();
    }

    private void produce(String topic, String value) throws Exception {
        Map<String, Object> settings = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings)) {
            producer.send(new ProducerRecord<>(topic, "key", value)).get();
        }
    }

    private List<String> consumeAll(String topic, int expected) {
        Map<String, Object> settings = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings)) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                return values.size() >= expected;
            });
        }
        return values;
    }
}
