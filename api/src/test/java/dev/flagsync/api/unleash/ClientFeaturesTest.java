package dev.flagsync.api.unleash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flagsync.evaluator.CompiledRules;
import dev.flagsync.evaluator.Context;
import dev.flagsync.evaluator.Evaluator;
import dev.flagsync.evaluator.Host;
import dev.flagsync.evaluator.RuleCompiler;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.RuleSources;
import dev.flagsync.shared.flag.Segment;
import dev.flagsync.shared.flag.Snapshot;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientFeaturesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant UPDATED = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void answersVersionTwoWithFeaturesAndSegments() throws Exception {
        Snapshot snapshot = new Snapshot("production", 7, List.of(rules("beta",
                "[{\"name\":\"default\",\"segments\":[1]}]", null, null)), List.of(segment(1, "[{\"contextName\":\"userId\",\"operator\":\"IN\",\"values\":[\"1\"]}]")));

        JsonNode body = ClientFeatures.of(snapshot);

        assertThat(body.get("version").intValue()).isEqualTo(2);
        assertThat(body.get("features")).hasSize(1);
        assertThat(body.get("segments")).hasSize(1);
        assertThat(body.at("/segments/0/id").intValue()).isEqualTo(1);
        assertThat(body.at("/segments/0/name").textValue()).isEqualTo("segment-1");
        assertThat(body.at("/segments/0/constraints/0/contextName").textValue()).isEqualTo("userId");
        assertThat(body.at("/features/0/strategies/0/segments/0").intValue()).isEqualTo(1);
    }

    @Test
    void givesEveryStrategyParametersOfStringsAndConstraints() {
        Flag flag = rules("rollout", "[{\"name\":\"flexibleRollout\",\"parameters\":{\"rollout\":25,\"groupId\":\"g\"}},"
                + "{\"name\":\"default\"}]", null, null);

        JsonNode strategies = ClientFeatures.feature(flag).get("strategies");

        assertThat(strategies).hasSize(2);
        assertThat(strategies.at("/0/parameters/rollout").textValue()).isEqualTo("25");
        assertThat(strategies.at("/0/parameters/groupId").textValue()).isEqualTo("g");
        assertThat(strategies.at("/1/parameters").isObject()).isTrue();
        assertThat(strategies.at("/1/parameters")).isEmpty();
        assertThat(strategies.at("/0/constraints").isArray()).isTrue();
        assertThat(strategies.at("/1/constraints").isArray()).isTrue();
    }

    @Test
    void carriesTheFieldsUnleashSdksRead() {
        Flag flag = new Flag("child", true, 100, "a child", UPDATED,
                tree("[{\"name\":\"default\",\"parameters\":{},\"constraints\":[]}]"),
                tree("[{\"name\":\"blue\",\"weight\":1000,\"stickiness\":\"default\",\"payload\":{\"type\":\"string\",\"value\":\"b\"}}]"),
                tree("[{\"feature\":\"parent\",\"enabled\":true}]"), true);

        JsonNode feature = ClientFeatures.feature(flag);

        assertThat(feature.get("name").textValue()).isEqualTo("child");
        assertThat(feature.get("enabled").booleanValue()).isTrue();
        assertThat(feature.get("description").textValue()).isEqualTo("a child");
        assertThat(feature.get("impressionData").booleanValue()).isTrue();
        assertThat(feature.get("project").textValue()).isEqualTo("default");
        assertThat(feature.at("/variants/0/name").textValue()).isEqualTo("blue");
        assertThat(feature.at("/dependencies/0/feature").textValue()).isEqualTo("parent");
    }

    @Test
    void leavesDependenciesOutWhenUnsetAndVariantsEmpty() {
        JsonNode feature = ClientFeatures.feature(rules("plain", "[]", null, null));

        assertThat(feature.has("dependencies")).isFalse();
        assertThat(feature.get("variants").isArray()).isTrue();
        assertThat(feature.get("variants")).isEmpty();
        assertThat(feature.get("strategies")).isEmpty();
    }

    @Test
    void expressesALegacyFlagAtFullRolloutAsTheDefaultStrategy() {
        JsonNode feature = ClientFeatures.feature(new Flag("on", true, 100, null, UPDATED));

        assertThat(feature.get("enabled").booleanValue()).isTrue();
        assertThat(feature.at("/strategies/0/name").textValue()).isEqualTo("default");
        assertThat(feature.at("/strategies/0/parameters")).isEmpty();
        assertThat(feature.get("strategies")).hasSize(1);
    }

    @Test
    void expressesALegacyPartialRolloutAsAFlexibleRolloutOnTheFlagKey() {
        JsonNode feature = ClientFeatures.feature(new Flag("checkout", true, 25, null, UPDATED));

        JsonNode parameters = feature.at("/strategies/0/parameters");
        assertThat(feature.at("/strategies/0/name").textValue()).isEqualTo("flexibleRollout");
        assertThat(parameters.get("rollout").textValue()).isEqualTo("25");
        assertThat(parameters.get("stickiness").textValue()).isEqualTo("default");
        assertThat(parameters.get("groupId").textValue()).isEqualTo("checkout");
    }

    @Test
    void aLegacyRolloutAgreesWithTheLegacyEvaluationForEveryUser() {
        Snapshot legacy = new Snapshot("production", 1, List.of(new Flag("checkout", true, 37, null, UPDATED),
                new Flag("off", false, 100, null, UPDATED), new Flag("none", true, 0, null, UPDATED)));
        JsonNode unleash = ClientFeatures.of(legacy);
        CompiledRules asStored = RuleSources.compile(legacy);
        CompiledRules asSent = RuleCompiler.compileJson(unleash.get("features"), unleash.get("segments"));
        Evaluator evaluator = new Evaluator(Host.system("test"));

        int on = 0;
        for (int user = 0; user < 1000; user++) {
            Context context = Context.ofUserId("user-" + user);
            for (String key : List.of("checkout", "off", "none")) {
                boolean expected = evaluator.evaluate(asStored, key, context).enabled();
                assertThat(evaluator.evaluate(asSent, key, context).enabled()).as(key + " for user-" + user).isEqualTo(expected);
                on += expected ? 1 : 0;
            }
        }
        assertThat(on).as("users on at 37 %").isBetween(300, 440);
    }

    @Test
    void sendsADisabledFlagDisabled() {
        assertThat(ClientFeatures.feature(new Flag("off", false, 100, null, UPDATED)).get("enabled").booleanValue()).isFalse();
        assertThat(ClientFeatures.feature(rules("off-rules", "[]", null, null, false)).get("enabled").booleanValue()).isFalse();
    }

    @Test
    void sendsAFlagWhoseRulesCannotBeReadDisabled() {
        Flag broken = new Flag("broken", true, 100, null, UPDATED, tree("{\"name\":\"default\"}"), null, null, false);

        JsonNode feature = ClientFeatures.feature(broken);

        assertThat(feature.get("enabled").booleanValue()).isFalse();
        assertThat(feature.get("strategies").isArray()).isTrue();
    }

    @Test
    void inlinesSegmentConstraintsForOldSdks() {
        Snapshot snapshot = new Snapshot("production", 3, List.of(rules("seg",
                "[{\"name\":\"default\",\"constraints\":[{\"contextName\":\"appName\",\"operator\":\"IN\",\"values\":[\"web\"]}],"
                        + "\"segments\":[2]}]", null, null)),
                List.of(segment(2, "[{\"contextName\":\"userId\",\"operator\":\"IN\",\"values\":[\"7\"]}]")));

        JsonNode body = ClientFeatures.of(snapshot, FeatureQuery.ALL, true);

        JsonNode strategy = body.at("/features/0/strategies/0");
        assertThat(body.get("segments")).isEmpty();
        assertThat(strategy.has("segments")).isFalse();
        assertThat(strategy.get("constraints")).hasSize(2);
        assertThat(strategy.at("/constraints/0/contextName").textValue()).isEqualTo("appName");
        assertThat(strategy.at("/constraints/1/contextName").textValue()).isEqualTo("userId");
    }

    @Test
    void inlinesAMissingSegmentAsAConstraintNoContextSatisfies() {
        Snapshot snapshot = new Snapshot("production", 3, List.of(rules("seg",
                "[{\"name\":\"default\",\"segments\":[404]}]", null, null)));
        JsonNode body = ClientFeatures.of(snapshot, FeatureQuery.ALL, true);
        CompiledRules inlined = RuleCompiler.compileJson(body.get("features"), body.get("segments"));
        CompiledRules byId = RuleSources.compile(snapshot);
        Evaluator evaluator = new Evaluator(Host.system("test"));
        Context context = Context.builder().userId("1").property(ClientFeatures.MISSING_SEGMENT_FIELD, "x").build();

        assertThat(body.at("/features/0/strategies/0/constraints/0/operator").textValue()).isEqualTo("IN");
        assertThat(evaluator.evaluate(byId, "seg", context).enabled()).isFalse();
        assertThat(evaluator.evaluate(inlined, "seg", context).enabled()).isFalse();
    }

    @Test
    void filtersByNamePrefixProjectAndTag() {
        Snapshot snapshot = new Snapshot("production", 3, List.of(new Flag("web.a", true, 100, null, UPDATED),
                new Flag("web.b", true, 100, null, UPDATED), new Flag("api.c", true, 100, null, UPDATED)));

        assertThat(names(ClientFeatures.of(snapshot, new FeatureQuery("web.", List.of(), List.of()), false)))
                .containsExactly("web.a", "web.b");
        assertThat(names(ClientFeatures.of(snapshot, new FeatureQuery(null, List.of("default"), List.of()), false)))
                .containsExactly("api.c", "web.a", "web.b");
        assertThat(names(ClientFeatures.of(snapshot, new FeatureQuery(null, List.of("payments"), List.of()), false)))
                .isEmpty();
        assertThat(names(ClientFeatures.of(snapshot, new FeatureQuery(null, List.of(), List.of("simple:web")), false)))
                .isEmpty();
    }

    private static List<String> names(JsonNode body) {
        return body.get("features").valueStream().map(f -> f.get("name").textValue()).toList();
    }

    private static Flag rules(String key, String strategies, String variants, String dependencies) {
        return rules(key, strategies, variants, dependencies, true);
    }

    private static Flag rules(String key, String strategies, String variants, String dependencies, boolean enabled) {
        return new Flag(key, enabled, 100, null, UPDATED, tree(strategies), tree(variants), tree(dependencies), false);
    }

    private static Segment segment(int id, String constraints) {
        return new Segment(id, "segment-" + id, tree(constraints));
    }

    private static JsonNode tree(String json) {
        try {
            return json == null ? null : JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
