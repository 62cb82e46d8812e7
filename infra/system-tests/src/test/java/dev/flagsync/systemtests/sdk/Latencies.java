package dev.flagsync.systemtests.sdk;

import dev.flagsync.localstack.LoadAverage;
import java.util.ArrayList;
import java.util.List;

/** Commit-to-seen times of one SDK test, printed as p50 and max with the load average beside them. */
final class Latencies {

    private final List<Long> millis = new ArrayList<>();

    void add(long ms) {
        millis.add(ms);
    }

    /** One line for the test output and docs/benchmarks.md. */
    String summary(String what) {
        List<Long> sorted = millis.stream().sorted().toList();
        return "%s: %d changes, SQL commit to SDK p50 %d ms, max %d ms, all %s (load average %s)".formatted(
                what, sorted.size(), sorted.get((sorted.size() - 1) / 2), sorted.getLast(), millis, LoadAverage.now());
    }
}
