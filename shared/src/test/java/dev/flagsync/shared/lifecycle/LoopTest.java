package dev.flagsync.shared.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoopTest {

    private static final BackoffPolicy FAST = BackoffPolicy.exponential(Duration.ofMillis(1), Duration.ofMillis(5));

    @Test
    void keepsRunningPastUnexpectedExceptionsAndRecovers() {
        AtomicInteger calls = new AtomicInteger();
        try (Loop loop = Loop.named("flaky").backoff(FAST).start(l -> {
            if (calls.incrementAndGet() <= 3) {
                throw new IllegalStateException("boom " + calls.get());
            }
            l.progress();
            return Duration.ofMillis(1);
        })) {
            await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() > 5);
            assertThat(loop.state().status()).isEqualTo(Loop.Status.RUNNING);
            assertThat(loop.state().failures()).isZero();
            assertThat(loop.liveProblem()).isEmpty();
            assertThat(loop.readyProblem()).isEmpty();
        }
    }

    @Test
    void reportsBackingOffWithTheReasonWhileFailing() {
        try (Loop loop = Loop.named("down").backoff(BackoffPolicy.exponential(Duration.ofMillis(20), Duration.ofMillis(20)))
                .start(l -> {
                    throw new IllegalStateException("store unreachable");
                })) {
            await().atMost(Duration.ofSeconds(5)).until(() -> loop.state().failures() >= 3);
            assertThat(loop.state().status()).isEqualTo(Loop.Status.BACKING_OFF);
            assertThat(loop.readyProblem()).get().asString().contains("store unreachable");
            assertThat(loop.liveProblem()).isEmpty(); // failing and retrying is alive, not dead
        }
    }

    @Test
    void backOffInsideAStepSharesTheFailureCountAndProgressResetsIt() {
        List<Long> seen = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        try (Loop loop = Loop.named("retry-in-place").backoff(FAST).start(l -> {
            while (attempts.incrementAndGet() < 4) {
                assertThat(l.backOff(new IllegalStateException("retry"))).isTrue();
                seen.add(l.state().failures());
            }
            l.progress();
            seen.add(l.state().failures());
            return Duration.ofHours(1);
        })) {
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 4);
            assertThat(seen).containsExactly(1L, 2L, 3L, 0L);
        }
    }

    @Test
    void closeEndsALongPauseAtOnceAndRunsTheHooks() {
        CountDownLatch stepped = new CountDownLatch(1);
        AtomicBoolean woken = new AtomicBoolean();
        AtomicBoolean exited = new AtomicBoolean();
        Loop loop = Loop.named("sleepy").onStop(() -> woken.set(true)).onExit(() -> exited.set(true)).start(l -> {
            stepped.countDown();
            return Duration.ofHours(1);
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> stepped.getCount() == 0);
        long started = System.nanoTime();
        loop.close();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(woken).isTrue();
        assertThat(exited).isTrue();
        assertThat(loop.state().status()).isEqualTo(Loop.Status.STOPPED);
        assertThat(loop.liveProblem()).isEmpty(); // stopped on purpose
    }

    @Test
    void anInterruptWithoutCloseStopsTheLoopAndFailsLiveness() {
        AtomicInteger calls = new AtomicInteger();
        try (Loop loop = Loop.named("interrupted").backoff(FAST).start(l -> {
            calls.incrementAndGet();
            Thread.currentThread().interrupt();
            throw new InterruptedException("someone else");
        })) {
            await().atMost(Duration.ofSeconds(5)).until(() -> loop.state().status() == Loop.Status.STOPPED);
            assertThat(calls).hasValue(1);
            assertThat(loop.liveProblem()).get().asString().contains("interrupted");
        }
    }

    @Test
    void aFatalErrorIsReportedAsDied() {
        try (Loop loop = Loop.named("oom").backoff(FAST).start(l -> {
            throw new OutOfMemoryError("pretend");
        })) {
            await().atMost(Duration.ofSeconds(5)).until(() -> loop.state().status() == Loop.Status.DIED);
            assertThat(loop.liveProblem()).get().asString().contains("died").contains("pretend");
        }
    }

    @Test
    void stallsOnlyWhileThereIsWork() {
        AtomicBoolean work = new AtomicBoolean(false);
        try (Loop loop = Loop.named("idle").stallAfter(Duration.ofMillis(50), work::get)
                .start(l -> Duration.ofMillis(5))) {
            await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(5))
                    .until(() -> loop.state().status() == Loop.Status.RUNNING);
            assertThat(loop.liveProblem()).isEmpty();
            work.set(true);
            assertThat(loop.liveProblem()).get().asString().contains("no progress");
        }
    }

    @Test
    void aLoopBackingOffIsNotStalledButNotReady() {
        try (Loop loop = Loop.named("store-down").backoff(BackoffPolicy.exponential(Duration.ofMillis(5), Duration.ofMillis(5)))
                .stallAfter(Duration.ofMillis(20), () -> true).start(l -> {
                    throw new IllegalStateException("store unreachable");
                })) {
            await().pollDelay(Duration.ofMillis(50)).atMost(Duration.ofSeconds(5))
                    .until(() -> loop.state().status() == Loop.Status.BACKING_OFF);
            assertThat(loop.liveProblem()).isEmpty();
            assertThat(loop.readyProblem()).get().asString().contains("store unreachable");
        }
    }

    @Test
    void progressReportedFromAnotherThreadKeepsALongStepAlive() {
        CountDownLatch release = new CountDownLatch(1);
        try (Loop loop = Loop.named("long-step").stallAfter(Duration.ofMillis(200), () -> true).onStop(release::countDown)
                .start(l -> {
                    Thread helper = Thread.ofPlatform().start(() -> {
                        while (release.getCount() > 0) {
                            l.progress();
                            try {
                                release.await(10, java.util.concurrent.TimeUnit.MILLISECONDS);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    });
                    release.await();
                    helper.join();
                    return Duration.ZERO;
                })) {
            await().pollDelay(Duration.ofMillis(400)).atMost(Duration.ofSeconds(5))
                    .until(() -> loop.state().status() == Loop.Status.RUNNING);
            assertThat(loop.liveProblem()).isEmpty();
        }
    }

    @Test
    void aLoopClosedBeforeItStartedIsStopped() {
        Loop loop = Loop.named("never-started").build(l -> Duration.ZERO);
        loop.close();
        assertThat(loop.state().status()).isEqualTo(Loop.Status.STOPPED);
        assertThat(loop.liveProblem()).isEmpty();
        assertThat(loop.stopping()).isTrue();
    }

    @Test
    void backoffDoublesUpToItsMaximum() {
        BackoffPolicy policy = BackoffPolicy.exponential(Duration.ofMillis(100), Duration.ofSeconds(1));
        assertThat(policy.delay(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.delay(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.delay(4)).isEqualTo(Duration.ofMillis(800));
        assertThat(policy.delay(5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delay(Long.MAX_VALUE)).isEqualTo(Duration.ofSeconds(1));
    }
}
