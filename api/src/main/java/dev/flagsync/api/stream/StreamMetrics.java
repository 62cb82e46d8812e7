package dev.flagsync.api.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/** Open SSE connections (also the count the cap is enforced on) and flag events sent. */
public final class StreamMetrics {

    private final AtomicInteger open = new AtomicInteger();
    private final Counter sent;

    public StreamMetrics(MeterRegistry registry) {
        Gauge.builder("flagsync.sse.connections", open, AtomicInteger::get)
                .description("Open Server-Sent Events streams on this instance")
                .register(registry);
        this.sent = Counter.builder("flagsync.sse.events")
                .description("Flag snapshot events written to SSE streams (heartbeats not counted)")
                .register(registry);
    }

    /** Counts a new stream in, unless that would exceed {@code max}. */
    boolean tryOpen(int max) {
        while (true) {
            int current = open.get();
            if (current >= max) {
                return false;
            }
            if (open.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    void closed() {
        open.decrementAndGet();
    }

    void sent() {
        sent.increment();
    }

    public int open() {
        return open.get();
    }
}
