package dev.flagsync.worker.metrics;

import dev.flagsync.shared.propagation.StageTimers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Every meter the worker reports, named once; exposed in Prometheus format by {@link MetricsServer}. */
public final class WorkerMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter eventsConsumed = Counter.builder("flagsync.sync.events.consumed")
            .description("Change events read from Kafka (tombstones included)").register(registry);
    private final Counter changeRewarms = rewarms("change");
    private final Counter reconcileRewarms = rewarms("reconcile");
    private final Counter rewarmFailures = Counter.builder("flagsync.sync.rewarm.failures")
            .description("Rewarm attempts that failed and will be retried").register(registry);
    private final Counter deadLetters = Counter.builder("flagsync.sync.dead.letters")
            .description("Messages sent to the dead-letter topic").register(registry);
    private final Counter visibilityWaits = Counter.builder("flagsync.sync.visibility.waits")
            .description("Batches whose transactions were not yet visible in PostgreSQL when they arrived, so their rewarm waited")
            .register(registry);
    private final Counter rebalances = Counter.builder("flagsync.sync.assignments")
            .description("Partition assignments the sync consumer received (one per rebalance it took part in)")
            .register(registry);
    private final Counter captured = Counter.builder("flagsync.capture.records")
            .description("Change records acknowledged by Kafka and marked processed").register(registry);
    private final Timer propagation = Timer.builder("flagsync.sync.propagation.delay")
            .description("From the source commit (source.ts_ms) to the end of the rewarm")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(5))
            .register(registry);
    private final StageTimers stages = new StageTimers(registry, "worker");
    private final AtomicLong consumerLag = new AtomicLong();
    private final AtomicLong slotLagBytes = new AtomicLong(-1);
    private final AtomicLong captureActive = new AtomicLong();

    public WorkerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        Gauge.builder("flagsync.sync.coalescing.ratio", this, WorkerMetrics::coalescingRatio)
                .description("Events consumed per change-driven rewarm since start").register(registry);
        Gauge.builder("flagsync.sync.consumer.lag", consumerLag, AtomicLong::get)
                .description("Records behind the end of the assigned partitions, summed").register(registry);
        Gauge.builder("flagsync.capture.slot.lag", slotLagBytes, AtomicLong::get).baseUnit("bytes")
                .description("WAL the replication slot still holds (-1 when unknown)").register(registry);
        Gauge.builder("flagsync.capture.active", captureActive, AtomicLong::get)
                .description("1 while this worker holds the slot's lock and runs the engine, 0 when standing by")
                .register(registry);
    }

    private Counter rewarms(String trigger) {
        return Counter.builder("flagsync.sync.rewarms").tag("trigger", trigger)
                .description("Snapshots loaded from PostgreSQL and written to Redis").register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The worker's propagation stages (commit to the Redis write). */
    public StageTimers stages() {
        return stages;
    }

    public void eventsConsumed(int count) {
        eventsConsumed.increment(count);
    }

    public void rewarmed(boolean byReconcile) {
        (byReconcile ? reconcileRewarms : changeRewarms).increment();
    }

    public void visibilityWaited() {
        visibilityWaits.increment();
    }

    public void rewarmFailed() {
        rewarmFailures.increment();
    }

    public void deadLettered() {
        deadLetters.increment();
    }

    public void assigned() {
        rebalances.increment();
    }

    /** Assignments received since start; tests read it to count rebalances. */
    public double assignments() {
        return rebalances.count();
    }

    public void captured(int count) {
        captured.increment(count);
    }

    public void propagated(long sourceCommitMillis, long rewarmedAtMillis) {
        propagation.record(Math.max(0, rewarmedAtMillis - sourceCommitMillis), TimeUnit.MILLISECONDS);
    }

    public void consumerLag(long records) {
        consumerLag.set(records);
    }

    public void captureActive(boolean active) {
        captureActive.set(active ? 1 : 0);
    }

    /** 1 while this worker captures, 0 otherwise (standing by, backing off, or no capture role). */
    public long captureActive() {
        return captureActive.get();
    }

    public void slotLag(long bytes) {
        slotLagBytes.set(bytes);
    }

    /** The last sampled WAL held by the slot, -1 when unknown. */
    public long slotLag() {
        return slotLagBytes.get();
    }

    /** The last measured consumer lag. */
    public long consumerLag() {
        return consumerLag.get();
    }

    /** Rewarms caused by change events since start; the benchmark reads it. */
    public double changeRewarms() {
        return changeRewarms.count();
    }

    public double eventsConsumed() {
        return eventsConsumed.count();
    }

    private double coalescingRatio() {
        double rewarms = changeRewarms.count();
        return rewarms == 0 ? 0 : eventsConsumed.count() / rewarms;
    }
}
