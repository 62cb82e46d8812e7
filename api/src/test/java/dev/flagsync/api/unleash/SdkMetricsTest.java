package dev.flagsync.api.unleash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.InvalidFlagException;
import dev.flagsync.shared.flag.Snapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SdkMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant UPDATED = Instant.parse("2026-12-02T00:00:00Z");

    private static Snapshot snapshot(int flags) {
        List<Flag> list = new ArrayList<>();
        for (int i = 0; i < flags; i++) {
            list.add(new Flag("flag-" + i, true, 100, null, UPDATED));
        }
        return new Snapshot("production", 1, list);
    }

    private static JsonNode report(int flags, String prefix) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode toggles = body.putObject("bucket").putObject("toggles");
        for (int i = 0; i < flags; i++) {
            toggles.putObject(prefix + i).put("yes", 1).put("no", 1);
        }
        return body;
    }

    private static double count(SimpleMeterRegistry registry, String flag, String result) {
        return registry.get("flagsync.unleash.evaluations").tag("flag", flag).tag("result", result).counter().count();
    }

    @Test
    void neverCreatesMoreSeriesThanTheBound() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SdkMetrics metrics = new SdkMetrics(registry, 50);

        metrics.reported(snapshot(100), report(100, "flag-"));

        // 50 series of real flags, then one overflow series per result.
        assertThat(registry.find("flagsync.unleash.evaluations").counters()).hasSize(50 + 2);
        assertThat(count(registry, SdkMetrics.OVERFLOW, "enabled")).isEqualTo(75); // flags 25..99 (each has two series)
        assertThat(count(registry, SdkMetrics.OVERFLOW, "disabled")).isEqualTo(75);
        assertThat(registry.get("flagsync.unleash.metrics.overflow").counter().count()).isEqualTo(150);
        metrics.reported(snapshot(100), report(100, "flag-"));
        assertThat(registry.find("flagsync.unleash.evaluations").counters()).hasSize(52);
    }

    @Test
    void countsFlagsTheEnvironmentDoesNotHaveAsUnknown() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SdkMetrics metrics = new SdkMetrics(registry);

        metrics.reported(snapshot(1), report(1000, "made-up-"));

        assertThat(registry.find("flagsync.unleash.evaluations").counters()).hasSize(2);
        assertThat(count(registry, SdkMetrics.UNKNOWN_FLAG, "disabled")).isEqualTo(1000);
    }

    @Test
    void refusesABodyWithoutTogglesOrWithNegativeCountsAndCountsNothingOfIt() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SdkMetrics metrics = new SdkMetrics(registry);
        ObjectNode negative = (ObjectNode) report(2, "flag-");
        ((ObjectNode) negative.at("/bucket/toggles/flag-1")).put("no", -5);

        assertThatThrownBy(() -> metrics.reported(snapshot(2), negative)).isInstanceOf(InvalidFlagException.class)
                .hasMessageContaining("no must be a whole number");
        assertThatThrownBy(() -> metrics.reported(snapshot(2), JSON.createObjectNode())).isInstanceOf(InvalidFlagException.class);
        assertThat(registry.find("flagsync.unleash.evaluations").counters()).isEmpty();
    }
}
