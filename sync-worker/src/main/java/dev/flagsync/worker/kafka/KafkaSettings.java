package dev.flagsync.worker.kafka;

import java.time.Duration;

/**
 * What the worker's Kafka clients and topics are configured with; part of the worker's
 * configuration, so this package needs nothing from the rest of the worker.
 */
public record KafkaSettings(
        String bootstrapServers,
        String topicPrefix,
        short replicationFactor,
        int changeTopicPartitions,
        String syncGroupId,
        Duration maxPollInterval,
        Duration sessionTimeout,
        KafkaSecurity security) {
}
