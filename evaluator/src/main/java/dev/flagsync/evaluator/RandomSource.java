package dev.flagsync.evaluator;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The evaluator's only source of randomness (gradualRolloutRandom, and stickiness when the
 * context has no id), given by the caller so that tests are deterministic.
 */
@FunctionalInterface
public interface RandomSource {

    /** A uniformly distributed int in {@code [0, bound)}. */
    int nextInt(int bound);

    /** For production: thread-safe, backed by {@link ThreadLocalRandom}. */
    static RandomSource threadLocal() {
        return bound -> ThreadLocalRandom.current().nextInt(bound);
    }

    /** For tests: a seeded generator. Most generators are not thread-safe; use one per thread. */
    static RandomSource of(RandomGenerator generator) {
        return generator::nextInt;
    }
}
