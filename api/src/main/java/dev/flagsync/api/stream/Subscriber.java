package dev.flagsync.api.stream;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * One open stream. It holds at most one frame not yet written, the newest: a frame is written at
 * once when the connection can take it, else kept until the sink says it can, and replaced by any
 * newer frame meanwhile, so a slow client gets the latest snapshot, never a queue of old ones, and
 * never a version older than one it has. Writes are serialised by a lock (not
 * {@code synchronized}, which would pin a virtual thread) and never block. A delta meant for
 * another version than the client's (it skipped one, or just connected) is replaced by its whole
 * frame when it is written.
 */
final class Subscriber implements StreamSink.Events {

    enum Delivery { SENT, QUEUED, SKIPPED, GONE }

    /** What a subscriber tells its broadcaster: a deferred write went out, or the stream is gone. */
    interface Owner {
        void sent();

        void gone(Subscriber subscriber);
    }

    final String environment;
    final StreamFormat format;
    private final StreamSink sink;
    private final BooleanSupplier allowed;
    private final Owner owner;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private long lastVersion = Long.MIN_VALUE;
    private Frame pending;
    private volatile ScheduledFuture<?> expiry;

    /** @param allowed asked at every heartbeat whether the client may still listen (e.g. its token was revoked) */
    Subscriber(String environment, StreamFormat format, StreamSink sink, BooleanSupplier allowed, Owner owner) {
        this.environment = environment;
        this.format = format;
        this.sink = sink;
        this.allowed = allowed;
        this.owner = owner;
        sink.listen(this);
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

    /** Writes the frame now if the connection can take it, else keeps it (the newest) for later. */
    Delivery send(Frame frame) {
        lock.lock();
        try {
            if (closed.get()) {
                return Delivery.GONE;
            }
            long newest = pending == null ? lastVersion : Math.max(lastVersion, pending.version());
            if (frame.version() <= newest) {
                return Delivery.SKIPPED;
            }
            pending = frame;
            return flush();
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: writes the pending frame if there is one and the connection can take it. */
    private Delivery flush() {
        if (pending == null) {
            return Delivery.SKIPPED;
        }
        try {
            if (!sink.ready()) {
                return Delivery.QUEUED;
            }
            Frame frame = pending;
            pending = null;
            sink.write(frame.forClientAt(lastVersion).bytes());
            lastVersion = frame.version();
            return Delivery.SENT;
        } catch (Exception e) {
            return Delivery.GONE;
        }
    }

    /** False when the client is gone or may no longer listen. A frame still waiting to go out stands in for the beat. */
    boolean heartbeat() {
        lock.lock();
        try {
            if (closed.get() || !allowed.getAsBoolean()) {
                return false;
            }
            if (pending == null && sink.ready()) {
                sink.write(Frame.HEARTBEAT);
            }
            return true;
        } catch (Exception e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void writable() {
        Delivery delivery;
        lock.lock();
        try {
            delivery = closed.get() ? Delivery.GONE : flush();
        } finally {
            lock.unlock();
        }
        switch (delivery) {
            case SENT -> owner.sent();
            case GONE -> owner.gone(this);
            case QUEUED, SKIPPED -> { }
        }
    }

    @Override
    public void failed(Throwable cause) {
        owner.gone(this);
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
