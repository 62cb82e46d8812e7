package dev.flagsync.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VariantAndDependencyTest {

    private final Evaluator evaluator = TestRules.evaluator();

    private static final String CHECKOUT = """
            {"features":[{"name":"checkout-button","enabled":true,"strategies":[{"name":"default","parameters":{}}],
              "variants":[
                {"name":"blue","weight":500,"stickiness":"default","payload":{"type":"json","value":"{\\"color\\":\\"#00f\\"}"},
                 "overrides":[{"contextName":"userId","values":["qa-1"]}]},
                {"name":"green","weight":500,"stickiness":"default","payload":{"type":"string","value":"green"}},
                {"name":"never","weight":0,"payload":{"type":"number","value":"0"}}]}]}""";

    @Test
    void weightedVariantsSplitAndOverridesTarget() {
        CompiledRules rules = TestRules.compile(CHECKOUT);
        Evaluation qa = evaluator.evaluate(rules, "checkout-button", Context.ofUserId("qa-1"));
        assertThat(qa.variant().name()).isEqualTo("blue");
        assertThat(qa.variant().payload().value()).isEqualTo("{\"color\":\"#00f\"}");
        assertThat(qa.reason()).isEqualTo(Reason.TARGETING_MATCH);

        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            Evaluation answer = evaluator.evaluate(rules, "checkout-button", Context.ofUserId("user-" + i));
            assertThat(answer.reason()).isEqualTo(Reason.SPLIT);
            counts.merge(answer.variant().name(), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys("blue", "green");
        assertThat(counts.get("blue")).isBetween(4_700, 5_300);
    }

    @Test
    void variantStickinessFallsBackToRemoteAddressThenRandom() {
        CompiledRules rules = TestRules.compile(CHECKOUT);
        Context byAddress = Context.builder().remoteAddress("203.0.113.7").build();
        String first = evaluator.evaluate(rules, "checkout-button", byAddress).variant().name();
        for (int i = 0; i < 50; i++) {
            assertThat(evaluator.evaluate(rules, "checkout-button", byAddress).variant().name()).isEqualTo(first);
        }
        Evaluator scripted = new Evaluator(TestRules.host("h", bound -> {
            assertThat(bound).isEqualTo(1000);
            return 700; // target 701: past blue's 500
        }));
        assertThat(scripted.evaluate(rules, "checkout-button", Context.empty()).variant().name()).isEqualTo("green");
    }

    @Test
    void aSingleVariantKeepsTheStrategysReasonAndZeroWeightsGiveDefault() {
        CompiledRules rules = TestRules.compile("""
                {"features":[{"name":"one","enabled":true,"strategies":[],
                               "variants":[{"name":"only","weight":1,"payload":{"type":"string","value":"v"}}]},
                             {"name":"weightless","enabled":true,"strategies":[],"variants":[{"name":"zero","weight":0}]},
                             {"name":"boolean","enabled":true,"strategies":[]}]}""");
        assertThat(evaluator.evaluate(rules, "one", Context.empty()))
                .extracting(e -> e.variant().name(), Evaluation::reason).containsExactly("only", Reason.STATIC);
        assertThat(evaluator.evaluate(rules, "weightless", Context.empty()))
                .extracting(Evaluation::enabled, Evaluation::variant, Evaluation::reason)
                .containsExactly(true, EvaluatedVariant.NO_VARIANT, Reason.DEFAULT);
        assertThat(evaluator.evaluate(rules, "boolean", Context.empty()))
                .extracting(Evaluation::variant, Evaluation::reason).containsExactly(EvaluatedVariant.NO_VARIANT, Reason.STATIC);
    }

    @Test
    void weightsOutOfRangeAreClampedAndReported() {
        CompiledRules rules = TestRules.compile("""
                {"features":[{"name":"w","enabled":true,"strategies":[],
                  "variants":[{"name":"negative","weight":-5},{"name":"huge","weight":2147483647},{"name":"huge-too","weight":2147483647}]}]}""");
        for (int i = 0; i < 100; i++) {
            assertThat(evaluator.evaluate(rules, "w", Context.ofUserId("u" + i)).variant().name()).startsWith("huge");
        }
        assertThat(rules.warnings()).extracting(Problem::path)
                .containsExactly("$.variants[0].weight", "$.variants[1].weight", "$.variants[2].weight");
    }

    @Test
    void strategyVariantsWithoutGroupIdHashOnTheFlagName() {
        String withoutGroup = """
                {"features":[{"name":"f","enabled":true,"strategies":[{"name":"flexibleRollout","parameters":{"rollout":"100"},
                  "variants":[{"name":"a","weight":1},{"name":"b","weight":1}]}]}]}""";
        CompiledRules rules = TestRules.compile(withoutGroup);
        for (int i = 0; i < 200; i++) {
            String user = "u" + i;
            String expected = Hashing.normalized("f", user, 2, Hashing.VARIANT_SEED) == 1 ? "a" : "b";
            assertThat(evaluator.evaluate(rules, "f", Context.ofUserId(user)).variant().name()).isEqualTo(expected);
        }
    }

    private static final String DEPENDENCIES = """
            {"features":[
              {"name":"parent-split","enabled":true,"strategies":[{"name":"flexibleRollout",
                "parameters":{"rollout":"50","stickiness":"userId","groupId":"parent-split"}}]},
              {"name":"legacy-parent","enabled":true,"rolloutPercentage":50},
              {"name":"child","enabled":true,"strategies":[],"dependencies":[{"feature":"parent-split"}]},
              {"name":"child-of-legacy","enabled":true,"strategies":[],"dependencies":[{"feature":"legacy-parent"}]},
              {"name":"grandchild","enabled":true,"strategies":[],"dependencies":[{"feature":"child"}]}]}""";

    @Test
    void anUnmetDependencyGivesTheParentsReason() {
        CompiledRules rules = TestRules.compile(DEPENDENCIES);
        int on = 0;
        for (int i = 0; i < 400; i++) {
            Context user = Context.ofUserId("user-" + i);
            Evaluation parent = evaluator.evaluate(rules, "parent-split", user);
            Evaluation child = evaluator.evaluate(rules, "child", user);
            assertThat(child.enabled()).isEqualTo(parent.enabled());
            assertThat(child.reason()).isEqualTo(child.enabled() ? Reason.STATIC : Reason.SPLIT);
            on += child.enabled() ? 1 : 0;
        }
        assertThat(on).isBetween(150, 250);
    }

    @Test
    void aLegacyParentWithoutKeyAndATransitiveChainAreNeverMet() {
        CompiledRules rules = TestRules.compile(DEPENDENCIES);
        assertThat(evaluator.evaluate(rules, "child-of-legacy", Context.empty()))
                .extracting(Evaluation::enabled, Evaluation::reason).containsExactly(false, Reason.DISABLED);
        assertThat(evaluator.evaluate(rules, "grandchild", Context.ofUserId("anyone")))
                .extracting(Evaluation::enabled, Evaluation::reason).containsExactly(false, Reason.DISABLED);
        assertThat(rules.warnings()).extracting(Problem::toString).containsExactly(
                "flag grandchild $.dependencies[0].feature: parent child has dependencies itself (one level only): never met");
    }
}
