package dev.flagsync.api.stream;

import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * One open stream. Writes are serialised by a lock (not {@code synchronized}, which would pin
 * a virtual thread during the blocking write), and a frame is written only if its version is
 * newer than the last one this client got, so concurrent deliveries can never go backwards; a
 * delta meant for another version than the client's is replaced by its whole frame.
 */
final class Subscriber {

    enum Delivery { SENT, SKIPPED, GONE }

    final String environment;
    final StreamFormat format;
    private final StreamSink sink;
    private final BooleanSupplier allowed;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private long lastVersion = Long.MIN_VALUE;
    private volatile ScheduledFuture<?> expiry;

    /** @param allowed asked at every heartbeat whether the client may still listen (e.g. its token was revoked) */
    Subscriber(String environment, StreamFormat format, StreamSink sink, BooleanSupplier allowed) {
        this.environment = environment;
        this.format = format;
        this.sink = sink;
        this.allowed = allowed;
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
            sink.write(frame.forClientAt(lastVersion).bytes());
            lastVersion = frame.version();
            return Delivery.SENT;
        } catch (IOException | RuntimeException e) {
            return Delivery.GONE;
        } finally {
            lock.unlock();
        }
    }

    /** False when the client is gone or may no longer listen. */
    boolean heartbeat() {
        lock.lock();
        try {
            if (closed.get() || !allowed.getAsBoolean()) {
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
