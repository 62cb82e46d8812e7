package dev.flagsync.shared.propagation;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The histograms of the {@link Stage}s one process measures. Thread-safe. */
public final class StageTimers {

    private final Map<Stage, Timer> timers = new EnumMap<>(Stage.class);

    /** Registers a histogram for each stage of {@code process} ("worker" or "api"). */
    public StageTimers(MeterRegistry registry, String process) {
        for (Stage stage : Stage.values()) {
            if (stage.process().equals(process)) {
                timers.put(stage, Timer.builder(Stage.METRIC).tag(Stage.TAG, stage.label())
                        .description("Time a change spends in one stage of its way from the commit to the streams")
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofSeconds(30))
                        .register(registry));
            }
        }
    }

    /**
     * Records one change's time in the stage; a negative one (clocks of two hosts disagreeing)
     * counts as 0, and a stage of another process is ignored.
     */
    public void record(Stage stage, long nanos) {
        Timer timer = timers.get(stage);
        if (timer != null) {
            timer.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        }
    }

    /** From an epoch-microsecond time taken in another process (or by PostgreSQL) until now. */
    public void recordSinceMicros(Stage stage, long startMicros) {
        if (startMicros > 0) {
            record(stage, (Micros.now() - startMicros) * 1_000);
        }
    }
}
