package dev.flagsync.worker.sync;

import dev.flagsync.shared.lifecycle.Loop;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offsets the sync applied but has not committed yet: per partition, the offset after the last
 * record whose Redis write succeeded. Only these are ever committed, and only for partitions the
 * consumer still owns, so no offset goes ahead of its Redis write whatever the group does. A
 * commit that fails for a passing reason (a rebalance in progress, a timeout, a broker away) is
 * kept and sent again after the next poll; none of those ends the loop. Used on the loop's thread
 * only (rebalance callbacks run inside its poll).
 */
final class Offsets {

    private static final Logger LOG = LoggerFactory.getLogger(Offsets.class);
    /** Well under max.poll.interval.ms, so a commit to an unreachable broker cannot cost the membership. */
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(5);

    private final Consumer<String, String> consumer;
    private final String topic;
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();

    Offsets(Consumer<String, String> consumer, String topic) {
        this.consumer = consumer;
        this.topic = topic;
    }

    /** Records whose Redis writes have all succeeded. */
    void applied(List<ConsumerRecord<String, String>> records) {
        for (ConsumerRecord<String, String> record : records) {
            pending.merge(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
    }

    /** Commits what is pending for the partitions this consumer owns; forgets the others (their new owner replays). */
    void commit(Loop loop) {
        if (pending.isEmpty()) {
            return;
        }
        Set<TopicPartition> owned = consumer.assignment();
        pending.keySet().retainAll(owned);
        if (!pending.isEmpty()) {
            send(new HashMap<>(pending), loop);
        }
    }

    /** In the revocation callback the generation is still ours: commit what was applied on those partitions, then forget them. */
    void revoked(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> leaving = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = pending.remove(partition);
            if (offset != null) {
                leaving.put(partition, offset);
            }
        }
        if (!leaving.isEmpty()) {
            try {
                consumer.commitSync(leaving, COMMIT_TIMEOUT);
                LOG.info("committed {} on revocation of {}", describe(leaving), topic);
            } catch (WakeupException | InterruptException e) {
                throw e;
            } catch (KafkaException e) {
                LOG.warn("could not commit {} on revocation; the next owner replays those records: {}", describe(leaving),
                        e.toString());
            }
        }
    }

    /** Lost, not revoked: another member may own them already, so nothing of theirs may be committed. */
    void lost(Collection<TopicPartition> partitions) {
        pending.keySet().removeAll(partitions);
        LOG.warn("lost partitions {} of {} (this member left the group); their new owner replays from the last commit",
                partitions, topic);
    }

    private void send(Map<TopicPartition, OffsetAndMetadata> offsets, Loop loop) {
        try {
            consumer.commitSync(offsets, COMMIT_TIMEOUT);
            offsets.forEach(pending::remove);
        } catch (RebalanceInProgressException e) {
            LOG.info("commit of {} waits for the rebalance in progress", describe(offsets));
        } catch (CommitFailedException e) {
            // This member's generation is gone (it was removed from the group): its partitions are
            // someone else's now, and the new owner replays these records.
            offsets.keySet().forEach(pending::remove);
            LOG.warn("could not commit {} after the group moved on; the records will be replayed: {}", describe(offsets),
                    e.getMessage());
        } catch (WakeupException e) {
            if (loop.stopping()) {
                throw e;
            }
            LOG.debug("commit woken up without a stop request; retrying after the next poll");
        } catch (InterruptException e) {
            throw e; // the loop treats an interrupt as a stop request; the offsets stay uncommitted
        } catch (KafkaException e) {
            LOG.warn("could not commit {}; retrying after the next poll: {}", describe(offsets), e.toString());
        }
    }

    private static String describe(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<String, Long> byPartition = new java.util.TreeMap<>();
        offsets.forEach((partition, offset) -> byPartition.put(partition.toString(), offset.offset()));
        return "offsets " + byPartition;
    }
}
