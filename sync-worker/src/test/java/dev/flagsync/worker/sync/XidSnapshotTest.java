package dev.flagsync.worker.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class XidSnapshotTest {

    private static final long EPOCH = 1L << 32;

    @Test
    void parsesPostgresText() {
        assertThat(XidSnapshot.parse("10:20:12,15")).isEqualTo(new XidSnapshot(10, 20, Set.of(12L, 15L)));
        assertThat(XidSnapshot.parse("20:20:")).isEqualTo(new XidSnapshot(20, 20, Set.of()));
        assertThatThrownBy(() -> XidSnapshot.parse("20:20")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTransactionStillRunningIsNotCompleted() {
        XidSnapshot snapshot = XidSnapshot.parse("10:20:12,15");
        assertThat(snapshot.completed(12)).isFalse();
        assertThat(snapshot.completed(13)).isTrue();
        assertThat(snapshot.completed(9)).isTrue();
    }

    @Test
    void aTransactionAtOrAfterXmaxIsNotCompleted() {
        // xmax is one past the latest completed transaction: a commit not yet visible can be there or beyond.
        XidSnapshot snapshot = XidSnapshot.parse("20:20:");
        assertThat(snapshot.completed(20)).isFalse();
        assertThat(snapshot.completed(23)).isFalse();
        assertThat(snapshot.completed(19)).isTrue();
    }

    @Test
    void thirtyTwoBitIdsAreReadAcrossTheEpochBoundary() {
        XidSnapshot snapshot = new XidSnapshot(EPOCH - 2, EPOCH + 8, Set.of(EPOCH - 2, EPOCH + 5));
        assertThat(snapshot.completed(EPOCH - 2)).as("previous epoch, still running").isFalse();
        assertThat(snapshot.completed(EPOCH - 1)).as("previous epoch, completed").isTrue();
        assertThat(snapshot.completed(EPOCH - 3)).as("previous epoch, before xmin").isTrue();
        assertThat(snapshot.completed(5)).as("this epoch, still running").isFalse();
        assertThat(snapshot.completed(9)).as("this epoch, after xmax").isFalse();
        assertThat(snapshot.completed(6)).as("this epoch, completed").isTrue();
    }
}
