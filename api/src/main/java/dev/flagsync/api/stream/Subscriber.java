package dev.flagsync.api.stream;

import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One open stream. Writes are serialised by a lock (not {@code synchronized}, which would pin
 * a virtual thread during the blocking write), and a frame is written only if its version is
 * newer than the last one this client got, so concurrent deliveries can never go backwards.
 */
final class Subscriber {

    enum Delivery { SENT, SKIPPED, GONE }

    final String environment;
    private final StreamSink sink;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private long lastVersion = Long.MIN_VALUE;
    private volatile ScheduledFuture<?> expiry;

    Subscriber(String environment, StreamSink sink) {
        this.environment = environment;
        this.sink = sink;
    }

    /** The client already has this version (Last-Event-ID), so only newer ones are sent. */
    void alreadyHas(long version) {
        lock.lock();
        try {
            lastVersion = Math.max(lastVersion, version);
        } finally {
            lock.unlock();
        }
    }

    Delivery send(Frame frame) {
        lock.lock();
        try {
            if (closed.get()) {
                return Delivery.GONE;
            }
            if (frame.version() <= lastVersion) {
                return Delivery.SKIPPED;
            }
            sink.write(frame.bytes());
            lastVersion = frame.version();
            return Delivery.SENT;
        } catch (IOException | RuntimeException e) {
            return Delivery.GONE;
        } finally {
            lock.unlock();
        }
    }

    /** False when the client is gone. */
    boolean heartbeat() {
        lock.lock();
        try {
            if (closed.get()) {
                return false;
            }
            sink.write(Frame.HEARTBEAT);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    void expireWith(ScheduledFuture<?> expiry) {
        this.expiry = expiry;
        if (closed.get()) {
            expiry.cancel(false);
        }
    }

    /** True only for the first call, so the caller counts each stream down exactly once. */
    boolean close() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        ScheduledFuture<?> scheduled = expiry;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        sink.close();
        return true;
    }
}
