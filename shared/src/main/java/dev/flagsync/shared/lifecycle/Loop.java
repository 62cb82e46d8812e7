package dev.flagsync.shared.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A long-lived loop that must not die silently. It owns its thread, the stop signal, the backoff
 * and the exception boundary: a failed {@link Step} is logged with the loop's name, the loop backs
 * off and runs the step again. Only {@link #close()}, an interrupt of its thread (which it treats
 * as a stop request) or a fatal JVM error ends it, and {@link #state()} says which.
 *
 * <p>A step does one unit of work and returns how long to wait before the next. It calls
 * {@link #progress()} when it moved work forward, so health checks can tell a loop that is merely
 * running from one that gets something done; {@link #pause} and {@link #backOff} are its waits.
 */
public final class Loop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Loop.class);

    /** One unit of a loop's work. */
    @FunctionalInterface
    public interface Step {
        /** Does the work; returns how long to wait before the next step ({@link Duration#ZERO}: at once). */
        Duration run(Loop loop) throws Exception;
    }

    public enum Status { STARTING, RUNNING, BACKING_OFF, STOPPED, DIED }

    /** A snapshot of what the loop is doing, for health endpoints and tests. */
    public record State(String name, Status status, Instant since, Instant lastProgress, long failures,
                        String lastFailure) {
    }

    private final String name;
    private final Step step;
    private final BackoffPolicy backoff;
    private final Runnable onStop;
    private final Runnable onExit;
    private final Duration stallAfter;
    private final BooleanSupplier hasWork;
    private final Duration closeTimeout;
    private final InstantSource clock;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private volatile State state;

    private Loop(Builder builder, Step step) {
        this.name = builder.name;
        this.step = step;
        this.backoff = builder.backoff;
        this.onStop = builder.onStop;
        this.onExit = builder.onExit;
        this.stallAfter = builder.stallAfter;
        this.hasWork = builder.hasWork;
        this.closeTimeout = builder.closeTimeout;
        this.clock = builder.clock;
        Instant now = clock.instant();
        this.state = new State(name, Status.STARTING, now, now, 0, null);
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    private void run() {
        try {
            while (!stopping()) {
                Duration wait;
                try {
                    wait = step.run(this);
                } catch (Throwable failure) {
                    if (stopping()) {
                        LOG.debug("{}: step ended by the stop request: {}", name, failure.toString());
                        break;
                    }
                    if (isFatal(failure)) {
                        died(failure);
                        return;
                    }
                    if (failure instanceof InterruptedException) {
                        Thread.currentThread().interrupt(); // a stop request: the loop ends below
                        break;
                    }
                    if (!backOff(failure)) {
                        break;
                    }
                    continue;
                }
                succeeded();
                if (!wait.isZero() && !pause(wait)) {
                    break;
                }
            }
        } finally {
            finish();
        }
    }

    private void finish() {
        try {
            onExit.run();
        } catch (RuntimeException e) {
            LOG.warn("{}: clean-up after the loop failed", name, e);
        }
        markStopped();
    }

    private synchronized void markStopped() {
        State last = state;
        if (last.status() != Status.DIED) {
            String why = stop.getCount() == 0 ? null : "interrupted without a stop request";
            if (why != null) {
                LOG.error("{}: loop stopped: {}", name, why);
            }
            state = new State(name, Status.STOPPED, clock.instant(), last.lastProgress(), last.failures(),
                    why != null ? why : last.lastFailure());
        }
    }

    /** Errors the JVM cannot be trusted to recover from; anything else is retried. */
    private static boolean isFatal(Throwable failure) {
        return failure instanceof VirtualMachineError && !(failure instanceof StackOverflowError);
    }

    private synchronized void died(Throwable failure) {
        LOG.error("{}: loop died", name, failure);
        State last = state;
        state = new State(name, Status.DIED, clock.instant(), last.lastProgress(), last.failures() + 1,
                failure.toString());
    }

    private synchronized void succeeded() {
        State last = state;
        if (last.status() != Status.RUNNING || last.failures() != 0) {
            if (last.failures() > 0) {
                LOG.info("{}: recovered after {} failures", name, last.failures());
            }
            state = new State(name, Status.RUNNING, clock.instant(), last.lastProgress(), 0, last.lastFailure());
        }
    }

    /**
     * Records that the step moved work forward: resets the backoff and feeds stall detection. Safe
     * to call from a thread the step hands work to (e.g. a callback of a library it drives).
     */
    public synchronized void progress() {
        State last = state;
        Instant now = clock.instant();
        boolean changed = last.status() != Status.RUNNING || last.failures() != 0;
        state = new State(name, Status.RUNNING, changed ? now : last.since(), now, 0, last.lastFailure());
    }

    /**
     * For a step that retries in place (e.g. a batch it must not drop): records the failure, logs
     * it, and waits the policy's delay for the failures so far. False when the loop is stopping.
     */
    public boolean backOff(Throwable failure) {
        long failures;
        synchronized (this) {
            State last = state;
            failures = last.failures() + 1;
            Instant since = last.status() == Status.BACKING_OFF ? last.since() : clock.instant();
            state = new State(name, Status.BACKING_OFF, since, last.lastProgress(), failures, failure.toString());
        }
        Duration delay = backoff.delay(failures);
        if (failures == 1) {
            LOG.warn("{}: failed; retrying in {} ms", name, delay.toMillis(), failure);
        } else {
            LOG.warn("{}: failed again ({} in a row); retrying in {} ms: {}", name, failures, delay.toMillis(),
                    failure.toString());
        }
        return pause(delay);
    }

    /** Waits, ending early when the loop is asked to stop; false then. */
    public boolean pause(Duration delay) {
        try {
            return !stop.await(delay.toNanos(), TimeUnit.NANOSECONDS) && !Thread.currentThread().isInterrupted();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** True once {@link #close()} was called or the loop's thread was interrupted. */
    public boolean stopping() {
        return stop.getCount() == 0 || (Thread.currentThread() == thread && thread.isInterrupted());
    }

    public Loop start() {
        thread.start();
        return this;
    }

    public String name() {
        return name;
    }

    public State state() {
        return state;
    }

    /**
     * Why the loop cannot be trusted to be alive: it ended without being closed, or it stalled. A
     * loop that is backing off is alive: it keeps trying and {@link #readyProblem()} says why it
     * fails, and restarting the process would not bring back the store it waits for.
     */
    public Optional<String> liveProblem() {
        State now = state;
        return switch (now.status()) {
            case DIED -> Optional.of("died: " + now.lastFailure());
            case STOPPED -> stop.getCount() == 0 ? Optional.empty() : Optional.of("stopped: " + now.lastFailure());
            case BACKING_OFF -> Optional.empty();
            default -> stalled(now);
        };
    }

    private Optional<String> stalled(State now) {
        if (stallAfter == null) {
            return Optional.empty();
        }
        Duration idle = Duration.between(now.lastProgress(), clock.instant());
        if (idle.compareTo(stallAfter) > 0 && hasWork.getAsBoolean()) {
            return Optional.of("no progress for " + idle.toSeconds() + " s while work is waiting");
        }
        return Optional.empty();
    }

    /** Why the loop is not doing its work right now, if it is not; liveness problems included. */
    public Optional<String> readyProblem() {
        Optional<String> live = liveProblem();
        if (live.isPresent()) {
            return live;
        }
        State now = state;
        return switch (now.status()) {
            case STARTING -> Optional.of("starting");
            case BACKING_OFF -> Optional.of("failing since " + now.since() + " (" + now.failures() + " in a row): "
                    + now.lastFailure());
            case STOPPED -> Optional.of("stopped");
            default -> Optional.empty();
        };
    }

    /** Stops the loop: signals it, runs the stop hook (e.g. a consumer's wakeup), waits for the thread. */
    @Override
    public void close() {
        stop.countDown();
        try {
            onStop.run();
        } catch (RuntimeException e) {
            LOG.warn("{}: stop hook failed", name, e);
        }
        if (Thread.currentThread() == thread) {
            return; // closed from its own step: the loop ends when the step returns
        }
        if (thread.getState() == Thread.State.NEW) {
            markStopped(); // built but never started (its owner failed before start): nothing to wait for
            return;
        }
        try {
            thread.join(closeTimeout);
            if (thread.isAlive()) {
                LOG.warn("{}: did not stop within {} ms; interrupting it", name, closeTimeout.toMillis());
                thread.interrupt();
                thread.join(Duration.ofSeconds(2));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Loop[" + name + ", " + state.status() + "]";
    }

    /** Settings of a loop; {@link #start(Step)} builds and starts it. */
    public static final class Builder {
        private final String name;
        private BackoffPolicy backoff = BackoffPolicy.exponential(Duration.ofMillis(100), Duration.ofSeconds(5));
        private Runnable onStop = () -> { };
        private Runnable onExit = () -> { };
        private Duration stallAfter;
        private BooleanSupplier hasWork = () -> true;
        private Duration closeTimeout = Duration.ofSeconds(15);
        private InstantSource clock = InstantSource.system();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name);
        }

        public Builder backoff(BackoffPolicy policy) {
            this.backoff = Objects.requireNonNull(policy);
            return this;
        }

        /** Run by {@link #close()} on the closing thread, to wake a step blocked in I/O (e.g. {@code consumer::wakeup}). */
        public Builder onStop(Runnable wake) {
            this.onStop = Objects.requireNonNull(wake);
            return this;
        }

        /** Run on the loop's own thread when it ends, for resources bound to that thread (a Kafka consumer). */
        public Builder onExit(Runnable cleanup) {
            this.onExit = Objects.requireNonNull(cleanup);
            return this;
        }

        /** Liveness fails when no {@link #progress()} was recorded for {@code after} while {@code hasWork} says there is work. */
        public Builder stallAfter(Duration after, BooleanSupplier hasWork) {
            this.stallAfter = Objects.requireNonNull(after);
            this.hasWork = Objects.requireNonNull(hasWork);
            return this;
        }

        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Loop build(Step step) {
            return new Loop(this, Objects.requireNonNull(step));
        }

        public Loop start(Step step) {
            return build(step).start();
        }
    }
}
