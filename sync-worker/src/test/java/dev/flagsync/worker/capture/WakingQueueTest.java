package dev.flagsync.worker.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class WakingQueueTest {

    private static WakingQueue<String> queue(String id) {
        WakingQueue<String> queue = new WakingQueue<>();
        queue.configure(Map.of(WakingQueue.ID, id));
        return queue;
    }

    /** The poller's wait, on a thread of its own; the future completes when the wait returns. */
    private static CompletableFuture<Void> waiting(WakingQueue<?> queue, Duration atMost) {
        return CompletableFuture.runAsync(() -> {
            try {
                queue.awaitRecords(atMost);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void keepsRecordsInOrderAndCountsThem() {
        WakingQueue<String> queue = queue("order");
        queue.enqueue("a");
        queue.enqueue("b");
        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.poll()).isEqualTo("a");
        assertThat(queue.poll()).isEqualTo("b");
        assertThat(queue.poll()).isNull();
        assertThat(queue.size()).isZero();
        queue.close();
    }

    @Test
    void aWaitingPollerWakesWhenARecordIsQueued() {
        WakingQueue<String> queue = queue("wakes");
        CompletableFuture<Void> poller = waiting(queue, Duration.ofMinutes(10));
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> !poller.isDone());
        queue.enqueue("change");
        await().atMost(Duration.ofSeconds(10)).until(poller::isDone);
        assertThat(queue.poll()).isEqualTo("change");
        queue.close();
    }

    @Test
    void aPollerDoesNotWaitWhileARecordIsQueued() throws InterruptedException {
        WakingQueue<String> queue = queue("queued");
        queue.enqueue("change");
        queue.awaitRecords(Duration.ofDays(1)); // returns at once, or the test never ends
        assertThat(queue.size()).isEqualTo(1);
        queue.close();
    }

    @Test
    void aWaitEndsAfterItsLimitWithNothingQueued() {
        WakingQueue<String> queue = queue("limit");
        CompletableFuture<Void> poller = waiting(queue, Duration.ofMillis(50));
        await().atMost(Duration.ofSeconds(10)).until(poller::isDone);
        assertThat(poller).isNotCompletedExceptionally();
        queue.close();
    }

    @Test
    void wakeEndsAWaitSoThatAStoppingTaskIsNotHeld() {
        WakingQueue<String> queue = queue("stop");
        CompletableFuture<Void> poller = waiting(queue, Duration.ofMinutes(10));
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> !poller.isDone());
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            queue.wake(); // again until the poller has started waiting
            return poller.isDone();
        });
        queue.close();
    }

    @Test
    void theTaskFindsItsQueueByTheRunsIdUntilItIsClosed() {
        WakingQueue<String> first = queue("slot-1");
        WakingQueue<String> second = queue("slot-2");
        assertThat(WakingQueue.forId("slot-1")).isSameAs(first);
        assertThat(WakingQueue.forId("slot-2")).isSameAs(second);
        assertThat(WakingQueue.forId("slot-3")).isNull();
        assertThat(WakingQueue.forId(null)).isNull();
        first.close();
        assertThat(WakingQueue.forId("slot-1")).isNull();
        assertThat(WakingQueue.forId("slot-2")).isSameAs(second);
        second.close();
    }

    @Test
    void withoutAnIdItIsAPlainQueue() {
        WakingQueue<String> queue = new WakingQueue<>();
        queue.configure(Map.of());
        queue.enqueue("change");
        assertThat(queue.poll()).isEqualTo("change");
        assertThat(queue.name()).isEqualTo("flagsync-waking");
        queue.close();
    }
}
