package dev.flagsync.api.read;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/** Answers per source, fallbacks between tiers, and reads nothing could answer. */
final class ReadMetrics {

    private final MeterRegistry registry;
    private final Map<Source, Counter> served = new EnumMap<>(Source.class);
    private final Counter unavailable;

    ReadMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Source source : Source.values()) {
            served.put(source, Counter.builder("flagsync.reads")
                    .description("Flag reads answered, by the tier that answered")
                    .tag("source", source.header())
                    .register(registry));
        }
        this.unavailable = Counter.builder("flagsync.reads.unavailable")
                .description("Reads answered 503 because no tier could answer")
                .register(registry);
    }

    Read served(Read read) {
        served.get(read.source()).increment();
        return read;
    }

    void fallback(String from, String to) {
        registry.counter("flagsync.read.fallbacks", "from", from, "to", to).increment();
    }

    void unavailable() {
        unavailable.increment();
    }
}
