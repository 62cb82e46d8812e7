package dev.flagsync.worker.metrics;

import dev.flagsync.shared.lifecycle.Loop;
import java.util.Optional;
import java.util.function.Supplier;

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
     * A part run by a loop: not ready while the loop is not alive or is backing off (with the
     * loop's reason), else for the part's own reason, {@code notReady} (e.g. still catching up).
     */
    static HealthCheck of(String name, Loop loop, Supplier<Optional<String>> notReady, Supplier<Optional<String>> state) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<String> liveProblem() {
                return loop.liveProblem();
            }

            @Override
            public Optional<String> readyProblem() {
                return loop.liveProblem().or(() -> loop.state().status() == Loop.Status.BACKING_OFF
                        ? loop.readyProblem() : notReady.get());
            }

            @Override
            public Optional<String> state() {
                return state.get();
            }
        };
    }

    /** A helper loop (a metrics sampler) whose failures must not take the worker out of service; it can still fail liveness. */
    static HealthCheck ofHelper(Loop loop) {
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
                return loop.liveProblem();
            }
        };
    }
}
