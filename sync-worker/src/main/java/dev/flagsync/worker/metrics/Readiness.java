package dev.flagsync.worker.metrics;

import java.util.Optional;

/** A component that can say why it is not ready; {@code /health/ready} lists every such answer. */
public interface Readiness {

    String name();

    /** Empty when ready, else a short reason without secrets. */
    Optional<String> problem();

    /** What the component is doing when that is worth showing while ready, e.g. a capture standing by. */
    default Optional<String> state() {
        return Optional.empty();
    }
}
