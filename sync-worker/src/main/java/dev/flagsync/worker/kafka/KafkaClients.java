package dev.flagsync.worker.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The worker's Kafka clients, configured for at-least-once delivery in one place. */
public final class KafkaClients {

    private KafkaClients() {
    }

    /** Idempotent, acks=all: a retried send after a broker restart neither reorders nor duplicates. */
    public static KafkaProducer<String, String> producer(KafkaSettings kafka, String clientId) {
        Map<String, Object> props = common(kafka, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(props);
    }

    /** Offsets are committed by hand, only after the batch's Redis writes succeeded. */
    public static KafkaConsumer<String, String> consumer(KafkaSettings kafka, String clientId) {
        Map<String, Object> props = common(kafka, clientId);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.syncGroupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        // Also the rebalance timeout: how long the group waits for this member to rejoin.
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) kafka.maxPollInterval().toMillis());
        // How long a member that died without leaving (kill -9, a lost node) keeps its partitions:
        // their changes wait that long. Kafka's 45 s default held every change back for 45 s after
        // a worker crash; heartbeats come from a thread of their own, so only a stall of the whole
        // JVM this long costs the membership (and then a replay, nothing else).
        int session = (int) kafka.sessionTimeout().toMillis();
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, session);
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.min(3_000, session / 3));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return new KafkaConsumer<>(props);
    }

    public static Admin admin(KafkaSettings kafka, String clientId) {
        return Admin.create(common(kafka, clientId));
    }

    private static Map<String, Object> common(KafkaSettings kafka, String clientId) {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        // Reconnect quickly after a broker restart instead of backing off to the 1 s default cap.
        props.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        kafka.security().applyTo(props);
        return props;
    }
}
