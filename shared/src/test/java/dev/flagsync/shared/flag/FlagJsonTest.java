package dev.flagsync.shared.flag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlagJsonTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesSnapshotInContractShapeSortedByKey() {
        Snapshot snapshot = new Snapshot("production", 42, List.of(
                new Flag("zeta", false, 100, null, Instant.parse("2026-11-21T10:00:00Z")),
                new Flag("new-checkout", true, 25, "...", Instant.parse("2026-11-21T10:00:00Z"))));

        String json = new String(FlagJson.encode(snapshot).json(), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"environment\":\"production\",\"version\":42,\"flags\":["
                + "{\"key\":\"new-checkout\",\"enabled\":true,\"rolloutPercentage\":25,\"description\":\"...\",\"updatedAt\":\"2026-11-21T10:00:00Z\"},"
                + "{\"key\":\"zeta\",\"enabled\":false,\"rolloutPercentage\":100,\"description\":null,\"updatedAt\":\"2026-11-21T10:00:00Z\"}]}");
    }

    @Test
    void decodeKeepsTheBytesAndRoundTrips() {
        Snapshot snapshot = new Snapshot("dev", 7, List.of(new Flag("a", true, 50, "d", Instant.parse("2026-01-02T03:04:05.123456Z"))));
        byte[] json = FlagJson.encode(snapshot).json();

        EncodedSnapshot decoded = FlagJson.decode(json);

        assertThat(decoded.snapshot()).isEqualTo(snapshot);
        assertThat(decoded.json()).isSameAs(json);
    }

    @Test
    void decodeRejectsWhatIsNotASnapshot() {
        assertThatThrownBy(() -> FlagJson.decode(utf8("{\"environment\":\"Bad Env\",\"version\":1,\"flags\":[]}")))
                .isInstanceOf(InvalidFlagException.class);
        assertThatThrownBy(() -> FlagJson.decode(utf8("not json"))).isInstanceOf(InvalidFlagException.class);
    }

    @Test
    void updateDefaultsMissingFieldsLikeTheTable() {
        assertThat(FlagJson.readUpdate(utf8("{}"))).isEqualTo(new FlagUpdate(false, 100, null));
        assertThat(FlagJson.readUpdate(utf8("{\"enabled\":true,\"rolloutPercentage\":25,\"description\":\"x\"}")))
                .isEqualTo(new FlagUpdate(true, 25, "x"));
    }

    @Test
    void updateRejectsUnknownFieldsWrongTypesAndRanges() {
        assertThatThrownBy(() -> FlagJson.readUpdate(utf8("{\"rollout\":5}"))).hasMessageContaining("unknown field \"rollout\"");
        assertThatThrownBy(() -> FlagJson.readUpdate(utf8("{\"enabled\":\"yes\"}"))).hasMessageContaining("enabled");
        assertThatThrownBy(() -> FlagJson.readUpdate(utf8("{\"rolloutPercentage\":2.5}"))).hasMessageContaining("whole number");
        assertThatThrownBy(() -> FlagJson.readUpdate(utf8("{\"rolloutPercentage\":101}"))).hasMessageContaining("between 0 and 100");
        assertThatThrownBy(() -> FlagJson.readUpdate(utf8("{\"description\":5}"))).hasMessageContaining("description");
        assertThatThrownBy(() -> FlagJson.readUpdate(utf8("[1]"))).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> FlagJson.readUpdate(utf8("{"))).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> FlagJson.readUpdate(new byte[0])).hasMessageContaining("empty");
    }

    @Test
    void writesRuleFieldsAndSegmentsOnlyWhenSetAndReadsThemBack() {
        Instant at = Instant.parse("2026-11-21T10:00:00Z");
        Flag rules = new Flag("ab", true, 100, null, at, FlagJson.readTree(utf8("[{\"name\":\"default\",\"parameters\":{}}]")),
                FlagJson.readTree(utf8("[{\"name\":\"blue\",\"weight\":1}]")), null, true);
        Snapshot snapshot = new Snapshot("production", 3, List.of(rules, new Flag("legacy", true, 25, null, at)),
                List.of(new Segment(7, "seven", FlagJson.readTree(utf8("[]"))), new Segment(2, "two", null)));

        byte[] json = FlagJson.encode(snapshot).json();

        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"environment\":\"production\",\"version\":3,\"flags\":["
                + "{\"key\":\"ab\",\"enabled\":true,\"rolloutPercentage\":100,\"description\":null,\"updatedAt\":\"2026-11-21T10:00:00Z\","
                + "\"strategies\":[{\"name\":\"default\",\"parameters\":{}}],\"variants\":[{\"name\":\"blue\",\"weight\":1}],"
                + "\"impressionData\":true},"
                + "{\"key\":\"legacy\",\"enabled\":true,\"rolloutPercentage\":25,\"description\":null,\"updatedAt\":\"2026-11-21T10:00:00Z\"}],"
                + "\"segments\":[{\"id\":2,\"name\":\"two\",\"constraints\":[]},{\"id\":7,\"name\":\"seven\",\"constraints\":[]}]}");
        assertThat(FlagJson.decode(json).snapshot()).isEqualTo(snapshot);
    }

    @Test
    void aSnapshotWithoutSegmentsOrRulesReadsAsBefore() {
        EncodedSnapshot decoded = FlagJson.decode(utf8("{\"environment\":\"dev\",\"version\":1,\"flags\":[{\"key\":\"a\","
                + "\"enabled\":true,\"rolloutPercentage\":5,\"description\":null,\"updatedAt\":\"2026-11-21T10:00:00Z\","
                + "\"strategies\":null}]}"));

        assertThat(decoded.snapshot().segments()).isEmpty();
        assertThat(decoded.snapshot().flag("a").orElseThrow().strategies()).isNull();
        assertThat(decoded.snapshot().flag("a").orElseThrow().hasStrategies()).isFalse();
    }

    @Test
    void updateReadsTheRuleFieldsAsGiven() {
        FlagUpdate update = FlagJson.readUpdate(utf8("{\"enabled\":true,\"strategies\":[{\"name\":\"default\"}],"
                + "\"variants\":null,\"dependencies\":[],\"impressionData\":true}"));

        assertThat(update.strategies()).isEqualTo(FlagJson.readTree(utf8("[{\"name\":\"default\"}]")));
        assertThat(update.variants()).isNull();
        assertThat(update.dependencies()).isEqualTo(FlagJson.readTree(utf8("[]")));
        assertThat(update.impressionData()).isTrue();
        assertThatThrownBy(() -> FlagJson.readUpdate(utf8("{\"strategies\":{}}"))).hasMessageContaining("strategies must be an array");
        assertThatThrownBy(() -> FlagJson.readUpdate(utf8("{\"impressionData\":1}"))).hasMessageContaining("impressionData");
    }
}
