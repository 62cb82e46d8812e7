package dev.flagsync.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagsync.evaluator.model.Feature;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.commons.codec.digest.MurmurHash3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** A flag whose strategies are null keeps contract §4's meaning exactly (api's ofrep.Evaluator today). */
class LegacyFlagTest {

    private final Evaluator evaluator = TestRules.evaluator();

    private Evaluation evaluate(boolean enabled, int rollout, String key, String targetingKey) {
        CompiledRules rules = RuleCompiler.compile(List.of(Feature.legacy(key, enabled, rollout)), List.of());
        return evaluator.evaluate(rules, key, Context.ofUserId(targetingKey));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 25, 100})
    void disabledFlagIsOffForEveryoneEvenWithoutTargetingKey(int rollout) {
        Evaluation answer = evaluate(false, rollout, "checkout", null);
        assertThat(answer.enabled()).isFalse();
        assertThat(answer.reason()).isEqualTo(Reason.DISABLED);
        assertThat(answer.variant()).isEqualTo(EvaluatedVariant.FEATURE_DISABLED);
    }

    @Test
    void fullRolloutIsStaticOnWithoutTargetingKey() {
        Evaluation answer = evaluate(true, 100, "checkout", null);
        assertThat(answer.enabled()).isTrue();
        assertThat(answer.reason()).isEqualTo(Reason.STATIC);
        assertThat(answer.variant()).isEqualTo(EvaluatedVariant.NO_VARIANT);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void splitWithoutTargetingKeyIsAnError(String targetingKey) {
        Evaluation answer = evaluate(true, 25, "checkout", targetingKey);
        assertThat(answer.reason()).isEqualTo(Reason.ERROR);
        assertThat(answer.errorCode()).isEqualTo(ErrorCode.TARGETING_KEY_MISSING);
        assertThat(answer.errorMessage()).contains("checkout", "targetingKey");
        assertThat(answer.enabled()).isFalse();
    }

    @Test
    void zeroRolloutIsASplitThatIsAlwaysOffAndStillNeedsAKey() {
        for (int i = 0; i < 1_000; i++) {
            Evaluation answer = evaluate(true, 0, "checkout", "user-" + i);
            assertThat(answer.enabled()).isFalse();
            assertThat(answer.reason()).isEqualTo(Reason.SPLIT);
        }
        assertThat(evaluate(true, 0, "checkout", null).errorCode()).isEqualTo(ErrorCode.TARGETING_KEY_MISSING);
    }

    @Test
    void splitIsOnExactlyWhenBucketIsAtMostRollout() {
        // bucket("gr1", "123") = 73 (Unleash's cross-SDK vector).
        assertThat(evaluate(true, 73, "gr1", "123")).extracting(Evaluation::enabled, Evaluation::reason)
                .containsExactly(true, Reason.SPLIT);
        assertThat(evaluate(true, 72, "gr1", "123")).extracting(Evaluation::enabled, Evaluation::reason)
                .containsExactly(false, Reason.SPLIT);
    }

    @Test
    void agreesWithContractFormulaComputedIndependently() {
        for (int i = 0; i < 2_000; i++) {
            String key = i % 3 == 0 ? "用户-" + i : "user-" + i;
            int rollout = i % 101;
            byte[] input = ("new-checkout:" + key).getBytes(StandardCharsets.UTF_8);
            int bucket = (int) (Integer.toUnsignedLong(MurmurHash3.hash32x86(input)) % 100) + 1;
            boolean expected = rollout == 100 || bucket <= rollout;
            assertThat(evaluate(true, rollout, "new-checkout", key).enabled()).as(key + " at " + rollout).isEqualTo(expected);
        }
    }

    /* Rollout cases of Unleash's client specification (03, 10, 12), with groupId as the flag key. */
    @ParameterizedTest(name = "{0} at {1}% for {2} -> {3}")
    @CsvSource({
            "AB12A,                                         50, 122, true",
            "AB12A,                                         50, 155, false",
            "Feature.flexibleRollout.10,                    10, 174, true",
            "Feature.flexibleRollout.10,                    10, 499, false",
            "Feature.flexible.rollout.custom.stickiness_50, 50, 402, false",
            "Feature.flexible.rollout.custom.stickiness_50, 50, 388, true",
    })
    void agreesWithUnleashClientSpecification(String groupId, int rollout, String id, boolean enabled) {
        assertThat(evaluate(true, rollout, groupId, id).enabled()).isEqualTo(enabled);
    }

    @Test
    void readsLegacyFlagFromJsonWithoutStrategies() {
        CompiledRules rules = TestRules.compile("""
                {"features":[{"name":"checkout","enabled":true,"rolloutPercentage":73},
                             {"name":"plain","enabled":true}]}""");
        assertThat(evaluator.evaluate(rules, "checkout", Context.ofUserId("x")).reason()).isEqualTo(Reason.SPLIT);
        assertThat(evaluator.evaluate(rules, "plain", Context.empty()).reason()).isEqualTo(Reason.STATIC);
    }
}
