package dev.flagsync.worker.metrics;

import dev.flagsync.shared.lifecycle.Loop;
import java.util.Optional;

/**
 * One part of the worker as the health endpoints see it: {@code /health/live} lists every
 * {@link #liveProblem()}, {@code /health/ready} every {@link #readyProblem()}. Reasons are short
 * and hold no secrets.
 */
public interface HealthCheck {

    String name();

    /** Why the process should be restarted: a loop died, stopped without being closed, or stalled. */
    Optional<String> liveProblem();

    /** Why this part is not doing its job right now (liveness problems included); empty when it is. */
    Optional<String> readyProblem();

    /** What the part is doing, worth showing even while ready, e.g. a capture standing by. */
    default Optional<String> state() {
        return Optional.empty();
    }

    /**
     * A loop's own health. {@code gatesReadiness} false: a helper (a metrics sampler) whose
     * failures must not take the worker out of service; it can still fail liveness.
     */
    static HealthCheck of(Loop loop, boolean gatesReadiness) {
        return new HealthCheck() {
            @Override
            public String name() {
                return loop.name();
            }

            @Override
            public Optional<String> liveProblem() {
                return loop.liveProblem();
            }

            @Override
            public Optional<String> readyProblem() {
                return gatesReadiness ? loop.readyProblem() : loop.liveProblem();
            }
        };
    }
}
