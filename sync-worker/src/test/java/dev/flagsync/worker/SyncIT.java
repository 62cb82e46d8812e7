package dev.flagsync.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flagsync.worker.kafka.KafkaClients;
import dev.flagsync.worker.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sync role alone, fed by hand as an existing Debezium deployment would feed it:
 * both envelope formats, poison messages, and Redis going away mid-stream.
 */
class SyncIT {

    private static Stack stack;
    private static WorkerConfig config;
    private static Worker worker;
    private static KafkaProducer<String, String> producer;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack("sync_it");
        stack.migrate();
        stack.sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('sync-seed', 'seed')");
        // A short poll interval, so that a Redis outage outlasts it and costs the consumer its membership.
        config = stack.config(Map.of("WORKER_ROLES", "sync", "RECONCILE_INTERVAL_SECONDS", "3600",
                "SYNC_MAX_POLL_INTERVAL_MS", "3000"));
        worker = Worker.start(config);
        producer = KafkaClients.producer(config.kafka(), "sync-it");
        admin = KafkaClients.admin(config.kafka(), "sync-it-admin");
        // Once the start-up warm is done, later rows reach Redis only through the messages below.
        await().atMost(Duration.ofSeconds(30)).until(() -> stack.cached("sync-seed").isPresent());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (worker != null) {
            worker.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private static void insert(String environment, String key) {
        stack.sql("INSERT INTO feature_flags (environment, flag_key) VALUES ('" + environment + "', '" + key + "')");
    }

    private static String envelope(String environment, String key) {
        return "{\"before\":null,\"after\":{\"environment\":\"" + environment + "\",\"flag_key\":\"" + key
                + "\"},\"op\":\"c\",\"source\":{\"ts_ms\":" + System.currentTimeMillis() + "},\"ts_ms\":1}";
    }

    /** Returns the record's offset. */
    private static long send(String value) throws Exception {
        return producer.send(new ProducerRecord<>(Topics.changes(config.topicPrefix()), "{}", value)).get().offset();
    }

    private static boolean cachedHas(String environment, String key) {
        return stack.cached(environment).flatMap(s -> s.flag(key)).isPresent();
    }

    @Test
    void appliesKafkaConnectFormatWithSchemaAndPayload() throws Exception {
        insert("sync-connect", "wrapped");
        send("{\"schema\":{\"type\":\"struct\",\"optional\":false,\"name\":\"sync_it.public.feature_flags.Envelope\"},"
                + "\"payload\":" + envelope("sync-connect", "wrapped") + "}");
        await().atMost(Duration.ofSeconds(20)).until(() -> cachedHas("sync-connect", "wrapped"));
    }

    @Test
    void poisonMessageGoesToTheDeadLetterTopicAndTheNextMessageIsApplied() throws Exception {
        insert("sync-poison", "after-poison");
        send("this is not json");
        send(envelope("sync-poison", "after-poison"));

        await().atMost(Duration.ofSeconds(20)).until(() -> cachedHas("sync-poison", "after-poison"));
        List<ConsumerRecord<String, String>> letters = deadLetters();
        assertThat(letters).anySatisfy(letter -> {
            assertThat(letter.value()).isEqualTo("this is not json");
            assertThat(new String(letter.headers().lastHeader(Topics.DLQ_REASON_HEADER).value(), StandardCharsets.UTF_8))
                    .startsWith("not JSON");
        });
    }

    /**
     * The batch is retried in place for longer than max.poll.interval.ms, so the consumer leaves
     * the group; once Redis is back the batch is applied, its commit fails (the generation is gone),
     * and the consumer rejoins and replays from the last commit.
     */
    @Test
    void redisDownIsRetriedWithoutCommittingAndTheSyncRejoinsTheGroupItLeftMeanwhile() throws Exception {
        // Earlier tests' records all committed: the outage's record is then the only one pending.
        await().atMost(Duration.ofSeconds(20)).until(() -> committedOffset() == endOffset());
        double failuresBefore = failures();
        double assignmentsBefore = worker.metrics().assignments();
        long pending;
        stack.redis.stop();
        try (WorkerHealth health = WorkerHealth.of(worker).watch()) {
            insert("sync-outage", "during");
            pending = send(envelope("sync-outage", "during"));
            await().atMost(Duration.ofSeconds(30)).until(() -> failures() > failuresBefore + 1);
            assertThat(committedOffset()).as("offset committed while Redis was down").isEqualTo(pending);
            await().atMost(Duration.ofSeconds(30)).until(() -> groupMembers() == 0);
            assertThat(health.liveFailures()).as("/health/live while retrying").isEmpty();
            assertThat(health.get("/health/ready").body()).contains("cannot apply 1 change events");
        } finally {
            stack.redis.start();
        }
        // The test's own pooled Redis connections broke too; the first reads after the restart may fail.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> cachedHas("sync-outage", "during"));
        await().atMost(Duration.ofSeconds(30)).until(() -> committedOffset() > pending);
        assertThat(worker.metrics().assignments()).as("rejoined the group").isGreaterThan(assignmentsBefore);
        assertThat(WorkerHealth.of(worker).live()).isTrue();
    }

    private static int groupMembers() throws Exception {
        return admin.describeConsumerGroups(List.of(config.syncGroupId())).all().get().get(config.syncGroupId())
                .members().size();
    }

    /** The group's committed position on the change topic: the offset of the next record it will read. */
    private static long committedOffset() throws Exception {
        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(config.syncGroupId())
                .partitionsToOffsetAndMetadata().get().get(changes());
        return committed == null ? 0 : committed.offset();
    }

    private static long endOffset() throws Exception {
        return admin.listOffsets(Map.of(changes(), OffsetSpec.latest())).partitionResult(changes()).get().offset();
    }

    private static TopicPartition changes() {
        return new TopicPartition(Topics.changes(config.topicPrefix()), 0);
    }

    private static double failures() {
        return worker.metrics().registry().get("flagsync.sync.rewarm.failures").counter().count();
    }

    private static List<ConsumerRecord<String, String>> deadLetters() {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        TopicPartition partition = new TopicPartition(Topics.deadLetters(config.topicPrefix()), 0);
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(config.kafka(), "sync-it-dlq-reader")) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(found::add);
                return !found.isEmpty();
            });
        }
        return found;
    }
}
