package dev.flagsync.worker.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchTest {

    @Test
    void coalescesManyChangesToOneRewarmPerEnvironment() {
        Batch batch = new Batch();
        for (int i = 0; i < 100; i++) {
            batch.add(new AffectedEnvironments(Set.of(i % 2 == 0 ? "prod" : "dev"), false, 1000 + i));
        }
        assertThat(batch.targets(Set.of("other"))).containsExactly("prod", "dev");
    }

    @Test
    void truncateAddsEveryKnownEnvironment() {
        Batch batch = new Batch();
        batch.add(new AffectedEnvironments(Set.of("prod"), false, 1));
        batch.add(AffectedEnvironments.all(2, 9));
        assertThat(batch.allEnvironments()).isTrue();
        assertThat(batch.targets(Set.of("dev", "qa"))).containsExactlyInAnyOrder("prod", "dev", "qa");
    }

    @Test
    void collectsEachNamedTransactionOnce() {
        Batch batch = new Batch();
        batch.add(new AffectedEnvironments(Set.of("a"), false, 1, 41));
        batch.add(new AffectedEnvironments(Set.of("b"), false, 1, 41));
        batch.add(new AffectedEnvironments(Set.of("a"), false, 1));
        batch.add(AffectedEnvironments.all(2, 42));
        assertThat(batch.transactionIds()).containsExactlyInAnyOrder(41L, 42L);
    }

    @Test
    void delayRunsFromCommitToTheLastRewarmOfTheChangesEnvironments() {
        Batch batch = new Batch();
        batch.add(new AffectedEnvironments(Set.of("a", "b"), false, 100));
        batch.add(new AffectedEnvironments(Set.of("a"), false, -1));
        assertThat(batch.delays(Map.of("a", 150L, "b", 170L), 200)).singleElement()
                .satisfies(pair -> assertThat(pair).containsExactly(100, 170));
    }
}
