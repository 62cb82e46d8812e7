package dev.flagsync.api.read;

import dev.flagsync.shared.lifecycle.BackoffPolicy;
import dev.flagsync.shared.lifecycle.Loop;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every environment once at start, so the instance has its data before it calls itself
 * ready (as LaunchDarkly Relay does), and its last known good copies (and disk backups) are
 * filled before a store can fail. The list of environments comes from the first source that
 * answers (PostgreSQL, else Redis's keys); until one does, the load is retried with backoff.
 */
public final class InitialLoad implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InitialLoad.class);

    /** When the load succeeded, from which source and how many environments. */
    public record Done(String source, int environments, Instant at) {
        @Override
        public String toString() {
            return "loaded " + environments + " environment(s) from " + source + " at " + at;
        }
    }

    private final FlagReader reader;
    private final Map<String, Supplier<Collection<String>>> sources;
    private final Loop loop;
    private volatile Done done;

    /** @param sources name to the environments that source knows of, tried in order */
    public InitialLoad(FlagReader reader, Map<String, Supplier<Collection<String>>> sources) {
        this.reader = reader;
        this.sources = new LinkedHashMap<>(sources);
        this.loop = Loop.named("initial-load")
                .backoff(BackoffPolicy.exponential(Duration.ofMillis(250), Duration.ofSeconds(5)))
                .build(this::step);
    }

    public InitialLoad start() {
        loop.start();
        return this;
    }

    public Optional<Done> done() {
        return Optional.ofNullable(done);
    }

    /** Why the load has not succeeded yet (empty once it has). */
    public Optional<String> problem() {
        return done != null ? Optional.empty() : Optional.of(loop.readyProblem().orElse("loading"));
    }

    private Duration step(Loop loop) {
        long began = System.nanoTime();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Supplier<Collection<String>>> source : sources.entrySet()) {
            Collection<String> environments;
            try {
                environments = source.getValue().get();
            } catch (RuntimeException e) {
                failures.add(source.getKey() + ": " + e.getMessage());
                continue;
            }
            for (String environment : environments) {
                if (reader.read(environment).source() == Source.STALE) {
                    throw new IllegalStateException("no store answered for environment " + environment);
                }
            }
            done = new Done(source.getKey(), environments.size(), Instant.now());
            LOG.info("{} in {} ms", done, (System.nanoTime() - began) / 1_000_000);
            loop.progress();
            loop.close(); // done for good: the loop ends when this step returns
            return Duration.ZERO;
        }
        throw new IllegalStateException("no source could list the environments (" + String.join("; ", failures) + ")");
    }

    @Override
    public void close() {
        loop.close();
    }
}
