package dev.flagsync.systemtests.chaos;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Threads that read every environment's snapshot in turn over HTTP, as backends polling the API
 * would, at a fixed rate each. Every answer is counted into the running phase; a 200's version
 * (its ETag) goes to the sightings.
 */
final class Readers implements AutoCloseable {

    private final Function<String, URI> snapshotUri;
    private final List<String> environments;
    private final Phases phases;
    private final Sightings sightings;
    private final long intervalNanos;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    Readers(Function<String, URI> snapshotUri, List<String> environments, int count, int perSecond, Phases phases,
            Sightings sightings) {
        this.snapshotUri = snapshotUri;
        this.environments = environments;
        this.phases = phases;
        this.sightings = sightings;
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
        for (int i = 0; i < count; i++) {
            int offset = i;
            threads.add(Thread.ofPlatform().daemon().name("reader-" + i).unstarted(() -> run(offset)));
        }
    }

    Readers start() {
        threads.forEach(Thread::start);
        return this;
    }

    private void run(int offset) {
        Map<String, Long> lastSeen = new HashMap<>();
        long next = System.nanoTime();
        for (int i = offset; !stopped; i++) {
            LockSupport.parkNanos(next - System.nanoTime());
            next = Math.max(next + intervalNanos, System.nanoTime());
            String environment = environments.get(i % environments.size());
            Phase phase = phases.current();
            long sent = System.nanoTime();
            Optional<HttpResponse<String>> answer = Http.get(snapshotUri.apply(environment));
            long received = System.nanoTime();
            if (answer.isEmpty()) {
                phase.unanswered.increment();
                continue;
            }
            HttpResponse<String> response = answer.get();
            phase.read(received - sent, response.headers().firstValue("X-Flag-Source").orElse(null));
            OptionalLong version = version(response);
            if (response.statusCode() >= 500) {
                phase.serverErrors.increment();
            } else if (response.statusCode() != 200 || version.isEmpty()) {
                phase.unexpected.increment();
                phase.notes.putIfAbsent("unexpected read", response.statusCode() + " " + response.body());
            } else {
                long seen = version.getAsLong();
                if (seen < lastSeen.getOrDefault(environment, Long.MIN_VALUE)) {
                    phase.backwards.increment();
                    phase.notes.putIfAbsent("back in time", environment + " " + seen + " after "
                            + lastSeen.get(environment) + " (GET)");
                }
                lastSeen.merge(environment, seen, Math::max);
                sightings.saw(environment, seen, received);
            }
        }
    }

    /** The version in a 200's ETag ({@code "<version>"}). */
    static OptionalLong version(HttpResponse<?> response) {
        String etag = response.headers().firstValue("ETag").orElse("");
        if (!etag.matches("(W/)?\"\\d+\"")) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(etag.replaceAll("\\D", "")));
    }

    @Override
    public void close() {
        stopped = true;
        Threads.joinAll(threads, Duration.ofSeconds(10));
    }
}
