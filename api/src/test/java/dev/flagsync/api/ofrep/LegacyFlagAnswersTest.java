package dev.flagsync.api.ofrep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.Snapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Flags of the legacy model (no strategies) answer OFREP exactly as contract section 4 says and as
 * they did before the rule model: on/off variants, boolean values, STATIC, SPLIT or DISABLED, and
 * TARGETING_KEY_MISSING for a split without a key.
 */
class LegacyFlagAnswersTest {

    private final OfrepService service = new OfrepService();
    /** Rules are compiled once per environment version, so each snapshot here has a version of its own. */
    private final AtomicLong versions = new AtomicLong();

    private static Flag flag(String key, boolean enabled, int rollout) {
        return new Flag(key, enabled, rollout, null, Instant.parse("2026-11-21T10:00:00Z"));
    }

    /** The answer without its metadata, as JSON. */
    private JsonNode answer(Flag flag, String targetingKey) throws IOException {
        String context = targetingKey == null ? "{}" : "{\"targetingKey\":\"" + targetingKey + "\"}";
        OfrepResponse response = service.evaluate(new Snapshot("production", versions.incrementAndGet(), List.of(flag)), flag.key(),
                ("{\"context\":" + context + "}").getBytes(StandardCharsets.UTF_8));
        JsonNode json = OfrepTestData.json(response);
        ((ObjectNode) json).remove("metadata");
        return json;
    }

    private static JsonNode resolved(String key, String reason, boolean value) throws IOException {
        return OfrepTestData.json("{\"key\":\"" + key + "\",\"reason\":\"" + reason + "\",\"variant\":\""
                + (value ? "on" : "off") + "\",\"value\":" + value + "}");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 25, 100})
    void disabledFlagIsOffForEveryoneEvenWithoutTargetingKey(int rollout) throws IOException {
        assertThat(answer(flag("checkout", false, rollout), null)).isEqualTo(resolved("checkout", "DISABLED", false));
    }

    @Test
    void fullRolloutIsStaticOnWithoutTargetingKey() throws IOException {
        assertThat(answer(flag("checkout", true, 100), null)).isEqualTo(resolved("checkout", "STATIC", true));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void splitWithoutTargetingKeyIsTargetingKeyMissing(String targetingKey) throws IOException {
        JsonNode answer = answer(flag("checkout", true, 25), targetingKey);

        assertThat(answer.get("key").textValue()).isEqualTo("checkout");
        assertThat(answer.get("errorCode").textValue()).isEqualTo("TARGETING_KEY_MISSING");
        assertThat(answer.get("errorDetails").textValue()).contains("targetingKey");
    }

    @Test
    void zeroRolloutIsASplitThatIsAlwaysOff() throws IOException {
        for (int i = 0; i < 200; i++) {
            assertThat(answer(flag("checkout", true, 0), "user-" + i)).isEqualTo(resolved("checkout", "SPLIT", false));
        }
        assertThat(answer(flag("checkout", true, 0), null).get("errorCode").textValue()).isEqualTo("TARGETING_KEY_MISSING");
    }

    @Test
    void splitIsOnExactlyWhenBucketIsAtMostRollout() throws IOException {
        // Unleash's cross-SDK vector: bucket("gr1", "123") = 73.
        assertThat(answer(flag("gr1", true, 73), "123")).isEqualTo(resolved("gr1", "SPLIT", true));
        assertThat(answer(flag("gr1", true, 72), "123")).isEqualTo(resolved("gr1", "SPLIT", false));
    }

    /*
     * Rollout cases from Unleash's client specification, github.com/Unleash/client-specification:
     * specifications/03-gradual-rollout-user-id-strategy.json (groupId AB12A, 50 %),
     * specifications/10-flexible-rollout-strategy.json (groupId = feature name) and
     * specifications/12-custom-stickiness.json (flexibleRollout, 50 %). Their strategy groupId
     * becomes our flag key, the sticky id our targeting key; each case expects the same
     * enabled/disabled result as the specification.
     */
    @ParameterizedTest(name = "{0} at {1}% for {2} -> {3}")
    @CsvSource({
            "AB12A,                                         50, 122, true",
            "AB12A,                                         50, 155, false",
            "Feature.flexibleRollout.10,                    10, 174, true",
            "Feature.flexibleRollout.10,                    10, 499, false",
            "Feature.flexibleRollout.userId.55,             55, 25,  true",
            "Feature.flexibleRollout.sessionId.42,          42, 147, true",
            "Feature.flexible.rollout.custom.stickiness_50, 50, 402, false",
            "Feature.flexible.rollout.custom.stickiness_50, 50, 388, true",
            "Feature.flexible.rollout.custom.stickiness_50, 50, 39,  true",
    })
    void agreesWithUnleashClientSpecification(String groupId, int rollout, String id, boolean enabled) throws IOException {
        assertThat(answer(flag(groupId, true, rollout), id)).isEqualTo(resolved(groupId, "SPLIT", enabled));
    }
}
