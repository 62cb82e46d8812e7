package dev.flagsync.worker.metrics;

import java.util.Optional;

/** A component that can say why it is not ready; {@code /health/ready} lists every such answer. */
public interface Readiness {

    String name();

    /** Empty when ready, else a short reason without secrets. */
    Optional<String> problem();
}
