package dev.flagsync.worker.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the change topics (flags, segments) and their dead-letter topics with the configured partitions and replication,
 * rather than relying on broker auto-creation (often off, and single-partition when on).
 */
public final class KafkaTopics {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);

    private KafkaTopics() {
    }

    public static void ensure(KafkaSettings kafka) throws InterruptedException {
        List<NewTopic> topics = new ArrayList<>();
        for (String changes : Topics.changeTopics(kafka.topicPrefix())) {
            topics.add(new NewTopic(changes, kafka.changeTopicPartitions(), kafka.replicationFactor()));
            topics.add(new NewTopic(Topics.deadLettersOf(changes), 1, kafka.replicationFactor()));
        }
        try (Admin admin = KafkaClients.admin(kafka, "flagsync-worker-admin")) {
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                    LOG.info("created topic {} ({} partitions, replication {})", topic.name(), topic.numPartitions(),
                            topic.replicationFactor());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create Kafka topic " + topic.name(), e.getCause());
                    }
                } catch (TimeoutException e) {
                    throw new IllegalStateException("Kafka did not answer within 30 s while creating " + topic.name(), e);
                }
            }
        }
    }
}
