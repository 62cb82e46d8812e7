package dev.flagsync.worker.capture;

import io.debezium.connector.base.QueueProvider;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Debezium's in-memory change queue ({@code queue.provider.type=flagsync-waking}) that also lets
 * the engine's polling thread sleep until a record is enqueued ({@link #awaitRecords}).
 *
 * <p>Why: Debezium's {@code ChangeEventQueue.poll()} waits {@code poll.interval.ms} for records
 * in whole milliseconds and, once the wait ends inside the last millisecond, loops without
 * waiting until the millisecond clock moves on: on an idle stream it spins up to a millisecond
 * every interval, nearly all of the worker's idle CPU at a 5 ms interval (docs/benchmarks.md,
 * "Idle CPU"). {@link IdleAwarePostgresTask} waits here first and only polls once there is
 * something to take.
 *
 * <p>Debezium calls {@link #enqueue}, {@link #poll} and {@link #size} under the change queue's
 * own lock; {@link #awaitRecords} runs outside it, so the count it reads is atomic. Debezium
 * creates the provider with {@link java.util.ServiceLoader}; the task finds it again by the
 * {@link #ID} property that {@link Capture} gives each engine run.
 */
public final class WakingQueue<T> implements QueueProvider<T> {

    /** The provider's name, for {@code queue.provider.type}. */
    public static final String NAME = "flagsync-waking";
    /** A property unique to one engine run, linking its task to its queue. */
    public static final String ID = "flagsync.capture.queue.id";

    private static final Map<String, WakingQueue<?>> BY_ID = new ConcurrentHashMap<>();

    private final AtomicInteger count = new AtomicInteger();
    private Queue<T> queue;
    private String id;
    private volatile Thread waiter;

    /** The queue configured with this id, or null if none is (then the task polls as Debezium does). */
    static WakingQueue<?> forId(String id) {
        return id == null ? null : BY_ID.get(id);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void configure(Map<String, ?> properties) {
        queue = new ArrayDeque<>();
        Object configured = properties.get(ID);
        if (configured != null) {
            id = configured.toString();
            BY_ID.put(id, this);
        }
    }

    @Override
    public void enqueue(T event) {
        queue.add(event);
        count.incrementAndGet();
        Thread sleeping = waiter;
        if (sleeping != null) {
            LockSupport.unpark(sleeping);
        }
    }

    @Override
    public T poll() {
        T event = queue.poll();
        if (event != null) {
            count.decrementAndGet();
        }
        return event;
    }

    @Override
    public int size() {
        return queue.size();
    }

    /** Records queued and not yet taken by the poller. */
    int waiting() {
        return count.get();
    }

    /**
     * Returns once a record is waiting, {@link #wake} was called, or {@code atMost} passed;
     * at once if a record is already waiting. One thread waits at a time (the engine's poller).
     */
    void awaitRecords(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        waiter = Thread.currentThread();
        try {
            while (count.get() == 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                if (waiter == null) {
                    return; // woken to stop
                }
            }
        } finally {
            waiter = null;
        }
    }

    /** Ends a wait in {@link #awaitRecords} early, e.g. because the task stops. */
    void wake() {
        Thread sleeping = waiter;
        waiter = null;
        if (sleeping != null) {
            LockSupport.unpark(sleeping);
        }
    }

    @Override
    public void close() {
        if (id != null) {
            BY_ID.remove(id, this);
        }
        wake();
    }

    @Override
    public String toString() {
        return "WakingQueue[" + Objects.requireNonNullElse(id, "no id") + ", " + count.get() + " waiting]";
    }
}
