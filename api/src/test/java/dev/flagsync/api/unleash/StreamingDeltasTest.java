package dev.flagsync.api.unleash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.api.stream.Frame;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.Segment;
import dev.flagsync.shared.flag.Snapshot;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamingDeltasTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static JsonNode json(String text) {
        return FlagJson.readTree(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Flag flag(String key, boolean enabled, Instant updatedAt) {
        return new Flag(key, enabled, 100, null, updatedAt, json("[{\"name\":\"default\",\"segments\":[1]}]"), null, null, false);
    }

    private static Segment segment(int id, String value) {
        return new Segment(id, "s" + id, json("[{\"contextName\":\"appName\",\"operator\":\"IN\",\"values\":[\"" + value + "\"]}]"));
    }

    private static final Snapshot BEFORE = new Snapshot("deltas", 4,
            List.of(flag("kept", true, T0), flag("changed", true, T0), flag("dropped", true, T0)),
            List.of(segment(1, "abc"), segment(2, "gone")));
    private static final Snapshot AFTER = new Snapshot("deltas", 7,
            List.of(flag("kept", true, T0), flag("changed", false, T0.plusSeconds(1)), flag("added", true, T0)),
            List.of(segment(1, "edf")));

    @Test
    void deltaHasSegmentsFirstThenFeaturesThenRemovalsEachAtTheNewVersion() {
        JsonNode events = StreamingDeltas.delta(BEFORE, AFTER).get("events");

        assertThat(events.valueStream().map(e -> e.get("type").textValue() + ":" + name(e))).containsExactly(
                "segment-updated:1", "feature-updated:added", "feature-updated:changed",
                "feature-removed:dropped", "segment-removed:2");
        assertThat(events.valueStream().map(e -> e.get("eventId").longValue())).containsOnly(7L);
        JsonNode changed = events.get(2).get("feature");
        assertThat(changed.get("enabled").booleanValue()).isFalse();
        assertThat(changed.get("strategies").get(0).get("parameters").isObject()).as("parameters always sent").isTrue();
        assertThat(changed.get("strategies").get(0).get("segments")).isEqualTo(json("[1]"));
        assertThat(events.get(0).get("segment")).isEqualTo(json(
                "{\"id\":1,\"name\":\"s1\",\"constraints\":[{\"contextName\":\"appName\",\"operator\":\"IN\",\"values\":[\"edf\"]}]}"));
        assertThat(events.get(3).get("project").textValue()).isEqualTo("default");
    }

    @Test
    void anUnchangedSnapshotGivesNoEvents() {
        assertThat(StreamingDeltas.delta(BEFORE, BEFORE).get("events")).isEmpty();
    }

    @Test
    void hydrationHoldsEveryFeatureAndSegment() {
        JsonNode hydration = StreamingDeltas.hydration(AFTER).get("events");
        assertThat(hydration).hasSize(1);
        assertThat(hydration.get(0).get("type").textValue()).isEqualTo("hydration");
        assertThat(hydration.get(0).get("eventId").longValue()).isEqualTo(7);
        assertThat(hydration.get(0).get("features").valueStream().map(f -> f.get("name").textValue()))
                .containsExactly("added", "changed", "kept");
        assertThat(hydration.get(0).get("segments")).hasSize(1);
    }

    @Test
    void framesAreConnectedOnConnectAndUpdatedDeltasAfterwardsWithAHydrationForOtherClients() {
        Frame first = StreamingDeltas.INSTANCE.frame(null, FlagJson.encode(AFTER));
        assertThat(text(first)).startsWith("event: unleash-connected\nid: 7\ndata: {\"events\":[{\"type\":\"hydration\"");

        Frame next = StreamingDeltas.INSTANCE.frame(FlagJson.encode(BEFORE), FlagJson.encode(AFTER));
        assertThat(text(next)).startsWith("event: unleash-updated\nid: 7\ndata: {\"events\":[{\"type\":\"segment-updated\"");
        assertThat(next.base()).isEqualTo(4);
        assertThat(text(next.whole())).isEqualTo(text(first));
    }

    private static String text(Frame frame) {
        return new String(frame.bytes(), StandardCharsets.UTF_8);
    }

    private static String name(JsonNode event) {
        if (event.has("feature")) {
            return event.get("feature").get("name").textValue();
        }
        if (event.has("segment")) {
            return Integer.toString(event.get("segment").get("id").intValue());
        }
        return event.has("featureName") ? event.get("featureName").textValue() : Integer.toString(event.get("segmentId").intValue());
    }
}
