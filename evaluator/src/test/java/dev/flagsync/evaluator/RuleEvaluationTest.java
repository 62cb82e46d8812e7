package dev.flagsync.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/** Evaluation of Unleash-model flags beyond the specification: reasons, host, randomness, lenient cases. */
class RuleEvaluationTest {

    private final Evaluator evaluator = TestRules.evaluator();

    private Evaluation evaluate(String state, String flag, Context context) {
        return evaluator.evaluate(TestRules.compile(state), flag, context);
    }

    private static final String BETA = """
            {"features":[{"name":"beta","enabled":true,"strategies":[
              {"name":"userWithId","parameters":{"userIds":"alice, bob"}},
              {"name":"flexibleRollout","parameters":{"rollout":"13","stickiness":"userId","groupId":"new-checkout"},
               "constraints":[{"contextName":"country","operator":"IN","values":["NO","SE"]}]}]}]}""";

    @Test
    void reasonSaysWhatDecided() {
        assertThat(evaluate(BETA, "beta", Context.ofUserId("alice")))
                .extracting(Evaluation::enabled, Evaluation::reason).containsExactly(true, Reason.TARGETING_MATCH);
        // "new-checkout:Øyvind" has UTF-8 bucket 13 (HashingTest), so a 13 % rollout lets Øyvind in.
        Context norwegian = Context.builder().userId("Øyvind").property("country", "NO").build();
        assertThat(evaluate(BETA, "beta", norwegian))
                .extracting(Evaluation::enabled, Evaluation::reason).containsExactly(true, Reason.SPLIT);
        assertThat(evaluate(BETA, "beta", Context.builder().userId("Øyvind").property("country", "DK").build()))
                .extracting(Evaluation::enabled, Evaluation::reason).containsExactly(false, Reason.TARGETING_MATCH);
        assertThat(evaluate(BETA.replace("\"13\"", "\"12\""), "beta", norwegian))
                .extracting(Evaluation::enabled, Evaluation::reason).containsExactly(false, Reason.SPLIT);
    }

    @Test
    void staticDisabledAndDefaultReasons() {
        String state = """
                {"features":[{"name":"everyone","enabled":true,"strategies":[]},
                             {"name":"plain-default","enabled":true,"strategies":[{"name":"default","parameters":{}}]},
                             {"name":"off","enabled":false,"strategies":[]},
                             {"name":"custom","enabled":true,"strategies":[{"name":"myOwnStrategy","parameters":{}}]}]}""";
        CompiledRules rules = TestRules.compile(state);
        assertThat(evaluator.evaluate(rules, "everyone", Context.empty()).reason()).isEqualTo(Reason.STATIC);
        assertThat(evaluator.evaluate(rules, "plain-default", Context.empty()).reason()).isEqualTo(Reason.STATIC);
        assertThat(evaluator.evaluate(rules, "off", Context.empty()).reason()).isEqualTo(Reason.DISABLED);
        assertThat(evaluator.evaluate(rules, "custom", Context.empty()))
                .extracting(Evaluation::enabled, Evaluation::reason).containsExactly(false, Reason.DEFAULT);
        assertThat(rules.warnings()).extracting(Problem::toString)
                .containsExactly("flag custom $.strategies[0].name: unknown strategy \"myOwnStrategy\": skipped (never on)");
        Evaluation absent = evaluator.evaluate(rules, "nope", Context.empty());
        assertThat(absent).extracting(Evaluation::enabled, Evaluation::reason, Evaluation::errorCode)
                .containsExactly(false, Reason.DEFAULT, ErrorCode.FLAG_NOT_FOUND);
    }

    @Test
    void applicationHostnameIsTheHostsOwnName() {
        String state = """
                {"features":[{"name":"canary","enabled":true,"strategies":[
                  {"name":"applicationHostname","parameters":{"hostNames":"api-7, App-1.Example.com"}}]}]}""";
        CompiledRules rules = TestRules.compile(state);
        assertThat(new Evaluator(TestRules.host("APP-1.example.com", b -> 0)).evaluate(rules, "canary", Context.empty())
                .enabled()).isTrue();
        assertThat(new Evaluator(TestRules.host("api-8", b -> 0)).evaluate(rules, "canary", Context.empty())
                .enabled()).isFalse();
    }

    @Test
    void randomnessComesOnlyFromTheHost() {
        String state = """
                {"features":[{"name":"coin","enabled":true,"strategies":[
                  {"name":"gradualRolloutRandom","parameters":{"percentage":"30"}}]}]}""";
        CompiledRules rules = TestRules.compile(state);
        Queue<Integer> draws = new ArrayDeque<>(List.of(29, 30, 99));
        Evaluator scripted = new Evaluator(TestRules.host("h", bound -> {
            assertThat(bound).isEqualTo(100);
            return draws.remove();
        }));
        assertThat(scripted.evaluate(rules, "coin", Context.empty()).enabled()).isTrue();   // 30 >= 29 + 1
        assertThat(scripted.evaluate(rules, "coin", Context.empty()).enabled()).isFalse();  // 30 < 30 + 1
        assertThat(scripted.evaluate(rules, "coin", Context.empty()).reason()).isEqualTo(Reason.SPLIT);
    }

    @Test
    void aZeroPercentageIsASplitThatLetsNobodyIn() {
        CompiledRules rules = TestRules.compile("""
                {"features":[{"name":"r","enabled":true,"strategies":[{"name":"gradualRolloutRandom","parameters":{"percentage":"0"}}]},
                             {"name":"f","enabled":true,"strategies":[{"name":"flexibleRollout","parameters":{"rollout":"0"}}]}]}""");
        for (String flag : List.of("r", "f")) {
            assertThat(evaluator.evaluate(rules, flag, Context.ofUserId("u1")))
                    .extracting(Evaluation::enabled, Evaluation::reason).containsExactly(false, Reason.SPLIT);
        }
    }

    @Test
    void remoteAddressStrategyMatchesExactAddressesAndNetworksOfBothFamilies() {
        String state = """
                {"features":[{"name":"office","enabled":true,"strategies":[
                  {"name":"remoteAddress","parameters":{"IPs":"192.168.0.1, 10.0.0.0/8, nonsense, 2001:db8::/32"}}]}]}""";
        CompiledRules rules = TestRules.compile(state);
        for (String address : List.of("192.168.0.1", "10.2.3.4", "2001:db8::9")) {
            assertThat(evaluator.evaluate(rules, "office", Context.builder().remoteAddress(address).build()).enabled())
                    .as(address).isTrue();
        }
        assertThat(evaluator.evaluate(rules, "office", Context.builder().remoteAddress("192.168.0.2").build()).enabled())
                .isFalse();
        assertThat(rules.warnings()).hasSize(1);
    }

    @Test
    void unreadableFlagAnswersAnErrorAndLeavesTheOthersServed() {
        CompiledRules rules = TestRules.compile("""
                {"features":[{"name":"broken","enabled":true,"strategies":[{"name":"default","parameters":"oops"}]},
                             {"name":"broken-too","enabled":true,"strategies":{"name":"default"}},
                             {"name":"fine","enabled":true,"strategies":[]}]}""");
        Evaluation broken = evaluator.evaluate(rules, "broken", Context.empty());
        assertThat(broken).extracting(Evaluation::enabled, Evaluation::reason, Evaluation::errorCode)
                .containsExactly(false, Reason.ERROR, ErrorCode.UNREADABLE_RULES);
        assertThat(broken.errorMessage()).contains("broken", "$.strategies[0].parameters");
        assertThat(evaluator.evaluate(rules, "fine", Context.empty()).enabled()).isTrue();
        assertThat(rules.problems()).extracting(Problem::id).containsExactly("broken", "broken-too");
        assertThat(rules.problems().get(1).message()).contains("\"strategies\" must be an array");
    }

    @Test
    void missingOrUnreadableSegmentTurnsTheStrategyOff() {
        CompiledRules rules = TestRules.compile("""
                {"segments":[{"id":1,"constraints":[{"contextName":"plan","operator":"IN","values":["pro"]}]},
                             {"id":2,"constraints":"not a list"}],
                 "features":[{"name":"pro","enabled":true,"strategies":[{"name":"default","parameters":{},"segments":[1]}]},
                             {"name":"two","enabled":true,"strategies":[{"name":"default","parameters":{},"segments":[2]}]}]}""");
        Context pro = Context.builder().property("plan", "pro").build();
        assertThat(evaluator.evaluate(rules, "pro", pro)).extracting(Evaluation::enabled, Evaluation::reason)
                .containsExactly(true, Reason.TARGETING_MATCH);
        assertThat(evaluator.evaluate(rules, "two", pro).enabled()).isFalse();
        assertThat(rules.problems()).extracting(Problem::kind, Problem::id).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Problem.Kind.SEGMENT, "2"));
        assertThat(rules.warnings()).extracting(Problem::path).containsExactly("$.strategies[0].segments[0]");
    }

    @Test
    void evaluatesEveryFlagInKeyOrder() {
        CompiledRules rules = TestRules.compile("""
                {"features":[{"name":"b","enabled":true,"strategies":[]},{"name":"a","enabled":false,"strategies":[]}]}""");
        assertThat(evaluator.evaluateAll(rules, Context.empty())).extracting(Evaluation::flagKey, Evaluation::enabled)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", false), org.assertj.core.groups.Tuple.tuple("b", true));
        assertThat(rules.keys()).containsExactly("a", "b");
    }

    @Test
    void strategiesWinOverALeftoverRolloutPercentage() {
        CompiledRules rules = TestRules.compile("""
                {"features":[{"name":"x","enabled":true,"rolloutPercentage":0,"strategies":[]}]}""");
        assertThat(evaluator.evaluate(rules, "x", Context.empty()).enabled()).isTrue();
        assertThat(rules.warnings()).extracting(Problem::path).containsExactly("$.rolloutPercentage");
    }
}
