package dev.flagsync.worker.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The policy of when polled changes are applied, on made-up nanoTime values (no clock, no waits). */
class CoalescingTest {

    private static final long MS = 1_000_000;
    private final Coalescing coalescing = new Coalescing(Duration.ofMillis(100));

    @Test
    void appliesTheFirstChangeAtOnce() {
        coalescing.arrived(1, 0);

        assertThat(coalescing.applyAt(0)).isZero();
    }

    @Test
    void appliesChangesAtOnceWhenTheyComeSlowerThanTheSpacing() {
        long now = 0;
        for (int i = 0; i < 50; i++, now += 20 * MS) {
            coalescing.arrived(1, now);
            assertThat(coalescing.applyAt(now)).isEqualTo(now);
            coalescing.applied(now);
        }
    }

    @Test
    void appliesABatchOfSeveralRightAfterAQuietSpellAtOnce() {
        coalescing.applied(0);
        coalescing.arrived(5, 500 * MS); // a transaction of five rows: not more than window / spacing

        assertThat(coalescing.applyAt(500 * MS)).isEqualTo(500 * MS);
    }

    @Test
    void holdsABurstUntilAWindowAfterTheLastApply() {
        coalescing.applied(0);
        for (int i = 1; i <= 11; i++) {
            coalescing.arrived(1, i * MS); // 11 changes within 11 ms: more than 100 ms / 10 ms
        }

        assertThat(coalescing.inBurst(11 * MS)).isTrue();
        assertThat(coalescing.applyAt(11 * MS)).isEqualTo(100 * MS);
    }

    @Test
    void aBurstLongerThanTheWindowAgoNoLongerCounts() {
        coalescing.applied(0);
        coalescing.arrived(20, MS);

        assertThat(coalescing.inBurst(50 * MS)).isTrue();
        assertThat(coalescing.inBurst(102 * MS)).isFalse();
        assertThat(coalescing.applyAt(300 * MS)).isEqualTo(300 * MS);
    }

    @Test
    void aZeroWindowNeverWaits() {
        Coalescing none = new Coalescing(Duration.ZERO);
        none.applied(0);
        none.arrived(1_000, MS);

        assertThat(none.applyAt(MS)).isEqualTo(MS);
    }

    @Test
    void aBurstOf10000WritesInFiveSecondsCostsTensOfApplies() {
        long now = 0;
        int applies = 0;
        long nextApply = 0;
        for (int i = 0; i < 10_000; i++, now += MS / 2) { // 2,000 writes a second, for 5 s
            coalescing.arrived(1, now);
            if (now >= nextApply && coalescing.applyAt(now) <= now) {
                coalescing.applied(now);
                applies++;
            }
            nextApply = coalescing.applyAt(now);
        }

        assertThat(applies).isBetween(15, 40);
    }

    @Test
    void aLongBurstStretchesTheWindowAndTheNextLoneChangeIsAppliedAtOnce() {
        long now = 0;
        for (int i = 0; i < 3_000; i++, now += MS) {
            coalescing.arrived(1, now);
            if (coalescing.applyAt(now) <= now) {
                coalescing.applied(now);
            }
        }
        assertThat(coalescing.window()).isEqualTo(500 * MS);

        now += 1_000 * MS;
        coalescing.arrived(1, now);
        assertThat(coalescing.applyAt(now)).isEqualTo(now);
        coalescing.applied(now);
        assertThat(coalescing.window()).isEqualTo(100 * MS);
    }

    @Test
    void aBurstInClumpsKeepsItsWideWindowBetweenThem() {
        long now = 0;
        for (int i = 0; i < 3_000; i++, now += MS) {
            coalescing.arrived(1, now);
            if (coalescing.applyAt(now) <= now) {
                coalescing.applied(now);
            }
        }
        now += 300 * MS; // a stall: nothing for longer than the base window
        coalescing.arrived(30, now);

        assertThat(coalescing.window()).isEqualTo(500 * MS);
        coalescing.applied(now);
        assertThat(coalescing.window()).isEqualTo(500 * MS);
    }

    @Test
    void tenThousandWritesOverFortySecondsStayWithinAHundredApplies() {
        long now = 0;
        int applies = 0;
        for (int i = 0; i < 10_000; i++, now += 4 * MS) { // a slow writer: 250 a second
            coalescing.arrived(1, now);
            if (coalescing.applyAt(now) <= now) {
                coalescing.applied(now);
                applies++;
            }
        }

        assertThat(applies).isLessThanOrEqualTo(100);
    }
}
