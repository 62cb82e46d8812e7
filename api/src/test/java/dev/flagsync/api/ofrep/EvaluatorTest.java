package dev.flagsync.api.ofrep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagsync.shared.flag.Flag;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class EvaluatorTest {

    private static Flag flag(String key, boolean enabled, int rollout) {
        return new Flag(key, enabled, rollout, null, Instant.parse("2026-11-21T10:00:00Z"));
    }

    private static Evaluation evaluate(Flag flag, String targetingKey) {
        return Evaluator.evaluate(flag, EvaluationContext.ofTargetingKey(targetingKey));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 25, 100})
    void disabledFlagIsOffForEveryoneEvenWithoutTargetingKey(int rollout) {
        assertThat(evaluate(flag("checkout", false, rollout), null))
                .isEqualTo(new Evaluation.Resolved("checkout", Reason.DISABLED, "off", false, null));
    }

    @Test
    void fullRolloutIsStaticOnWithoutTargetingKey() {
        assertThat(evaluate(flag("checkout", true, 100), null))
                .isEqualTo(new Evaluation.Resolved("checkout", Reason.STATIC, "on", true, null));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void splitWithoutTargetingKeyIsTargetingKeyMissing(String targetingKey) {
        Evaluation evaluation = evaluate(flag("checkout", true, 25), targetingKey);

        assertThat(evaluation).isInstanceOfSatisfying(Evaluation.Failed.class, failed -> {
            assertThat(failed.key()).isEqualTo("checkout");
            assertThat(failed.errorCode()).isEqualTo(ErrorCode.TARGETING_KEY_MISSING);
            assertThat(failed.errorDetails()).contains("targetingKey");
        });
    }

    @Test
    void zeroRolloutIsASplitThatIsAlwaysOff() {
        for (int i = 0; i < 1_000; i++) {
            assertThat(evaluate(flag("checkout", true, 0), "user-" + i))
                    .isEqualTo(new Evaluation.Resolved("checkout", Reason.SPLIT, "off", false, null));
        }
        assertThat(evaluate(flag("checkout", true, 0), null)).isInstanceOf(Evaluation.Failed.class);
    }

    @Test
    void splitIsOnExactlyWhenBucketIsAtMostRollout() {
        // Bucketing vectors: bucket("gr1", "123") = 73.
        assertThat(evaluate(flag("gr1", true, 73), "123"))
                .isEqualTo(new Evaluation.Resolved("gr1", Reason.SPLIT, "on", true, null));
        assertThat(evaluate(flag("gr1", true, 72), "123"))
                .isEqualTo(new Evaluation.Resolved("gr1", Reason.SPLIT, "off", false, null));
    }

    @Test
    void raisingTheRolloutNeverTurnsAnyoneOff() {
        for (int i = 0; i < 1_000; i++) {
            String user = "user-" + i;
            boolean before = ((Evaluation.Resolved) evaluate(flag("checkout", true, 30), user)).value();
            boolean after = ((Evaluation.Resolved) evaluate(flag("checkout", true, 60), user)).value();
            if (before) {
                assertThat(after).as(user).isTrue();
            }
        }
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
    void agreesWithUnleashClientSpecification(String groupId, int rollout, String id, boolean enabled) {
        assertThat(evaluate(flag(groupId, true, rollout), id))
                .isEqualTo(new Evaluation.Resolved(groupId, Reason.SPLIT, enabled ? "on" : "off", enabled, null));
    }
}
