package dev.flagsync.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.worker.kafka.KafkaClients;
import dev.flagsync.worker.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Checks, while the sync group works, that no offset is committed ahead of its Redis write. Each
 * round reads the group's committed offsets, then Redis: every change record below a committed
 * offset must already be in Redis, i.e. its environment's snapshot version must be at least the
 * version the writer's transaction gave that change. Redis versions only rise (compare-and-set),
 * and Redis is read after the commit was seen, so a sync that wrote before it committed always
 * passes; one that committed first fails whenever a round falls between its commit and its write.
 */
final class CommitAudit implements AutoCloseable {

    /** What the writer's transaction made of a change: its environment at that version. */
    record Written(String environment, long version) {
    }

    private final Stack stack;
    private final String group;
    private final Map<String, Written> written;
    private final KafkaConsumer<String, String> reader;
    private final Admin admin;
    private final List<TopicPartition> partitions;
    private final Map<TopicPartition, Map<Long, String>> descriptions = new HashMap<>();
    private final Map<TopicPartition, Long> audited = new HashMap<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private long recordsAudited;

    /** {@code written}: description → what its write did, filled by the writer before it commits. */
    CommitAudit(Stack stack, WorkerConfig config, ConcurrentHashMap<String, Written> written) {
        this.stack = stack;
        this.group = config.syncGroupId();
        this.written = written;
        String topic = Topics.changes(config.topicPrefix());
        this.reader = KafkaClients.consumer(stack.config(Map.of("SYNC_GROUP_ID", group + "-audit")).kafka(), "audit-reader");
        this.admin = KafkaClients.admin(config.kafka(), "audit-admin");
        this.partitions = reader.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        reader.assign(partitions);
        reader.seekToBeginning(partitions);
    }

    int partitions() {
        return partitions.size();
    }

    /** One audit: committed offsets first, then Redis. */
    void round() throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<String, Long> needed = new HashMap<>();
        Map<String, String> where = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            long from = audited.getOrDefault(partition, 0L);
            if (offset == null || offset.offset() <= from) {
                continue;
            }
            readUpTo(partition, offset.offset());
            for (long o = from; o < offset.offset(); o++) {
                String description = descriptions.get(partition).get(o);
                Written change = description == null ? null : written.get(description);
                if (change != null && change.version() > needed.getOrDefault(change.environment(), 0L)) {
                    needed.put(change.environment(), change.version());
                    where.put(change.environment(), partition.partition() + "@" + o + " (committed " + offset.offset() + ")");
                }
                recordsAudited++;
            }
            audited.put(partition, offset.offset());
        }
        needed.forEach((environment, version) -> {
            long inRedis = stack.cached(environment).map(s -> s.version()).orElse(0L);
            if (inRedis < version) {
                violations.add("record " + where.get(environment) + " of " + environment + " version " + version
                        + " was committed while Redis held version " + inRedis);
            }
        });
    }

    /** Reads the topic until this partition's records below {@code offset} are known (other partitions' come along). */
    private void readUpTo(TopicPartition partition, long offset) {
        while (reader.position(partition) < offset) {
            reader.poll(Duration.ofMillis(100)).forEach(record -> descriptions
                    .computeIfAbsent(new TopicPartition(record.topic(), record.partition()), p -> new HashMap<>())
                    .put(record.offset(), description(record.value())));
        }
        descriptions.computeIfAbsent(partition, p -> new HashMap<>());
    }

    private static String description(String value) {
        if (value == null) {
            return null;
        }
        JsonNode after = FlagJson.readTree(value.getBytes(StandardCharsets.UTF_8)).path("after");
        return after.path("description").isTextual() ? after.path("description").textValue() : null;
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    long recordsAudited() {
        return recordsAudited;
    }

    @Override
    public void close() {
        reader.close();
        admin.close();
    }
}
