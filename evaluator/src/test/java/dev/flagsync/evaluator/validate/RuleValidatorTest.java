package dev.flagsync.evaluator.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JacksonException;
import dev.flagsync.evaluator.model.Dependency;
import dev.flagsync.evaluator.model.Feature;
import dev.flagsync.evaluator.model.RuleJson;
import dev.flagsync.evaluator.model.Segment;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleValidatorTest {

    private static final ValidationScope SCOPE = ValidationScope.of(
            List.of(Feature.legacy("parent", true, 100),
                    Feature.withStrategies("child", true, List.of(), null, List.of(new Dependency("parent", null, null)))),
            List.of(Segment.of(7, "beta users", List.of())));

    private static List<String> errors(String name, String json) throws JacksonException {
        return RuleValidator.validateFeature(name, RuleJson.parse(json), SCOPE).stream().map(ValidationError::toString).toList();
    }

    @Test
    void acceptsAFullFlag() throws JacksonException {
        assertThat(errors("checkout", """
                {"name":"checkout","enabled":true,"impressionData":false,
                 "strategies":[{"name":"flexibleRollout","parameters":{"rollout":"25","stickiness":"userId","groupId":"checkout"},
                   "constraints":[{"contextName":"country","operator":"IN","values":["NO","SE"]},
                                  {"contextName":"appVersion","operator":"SEMVER_GTE","value":"2.1.0"},
                                  {"contextName":"email","operator":"REGEX","value":"@example\\\\.com$","caseInsensitive":true},
                                  {"contextName":"currentTime","operator":"DATE_AFTER","value":"2026-01-01T00:00:00Z"},
                                  {"contextName":"remoteAddress","operator":"IN_CIDR","values":["10.0.0.0/8","2001:db8::/32"]}],
                   "segments":[7],
                   "variants":[{"name":"a","weight":500,"stickiness":"userId","payload":{"type":"json","value":"{\\"x\\":1}"}},
                               {"name":"b","weight":500,"payload":{"type":"number","value":"1.5"},
                                "overrides":[{"contextName":"userId","values":["qa"]}]}]}],
                 "dependencies":[{"feature":"parent","enabled":true}]}""")).isEmpty();
        assertThat(errors("legacy", "{\"enabled\":true,\"rolloutPercentage\":30}")).isEmpty();
    }

    @Test
    void refusesWhatTheLenientEvaluatorWouldTurnOffWithTheJsonPath() throws JacksonException {
        assertThat(errors("f", """
                {"enabled":true,"strategies":[{"name":"gradualRolloutUserId","parameters":{"percentage":50},
                  "constraints":[{"contextName":"v","operator":"NOT_A_VALID_OPERATOR","value":"x"},
                                 {"contextName":"v","operator":"REGEX","value":"^(?=a)b"},
                                 {"contextName":"v","operator":"SEMVER_EQ","value":"v2.0.0"},
                                 {"contextName":"v","operator":"NUM_GT","value":"ten"},
                                 {"contextName":"","operator":"IN","values":[1]},
                                 {"contextName":"v","operator":"IN_CIDR","values":["10.0.0.0/33"]}],
                  "segments":[404]},
                  {"name":"mystery","parameters":{}}]}""")).containsExactly(
                "$.strategies[0].parameters.percentage: must be a string (Unleash sends parameters as strings, e.g. \"50\")",
                "$.strategies[0].parameters.groupId: is required",
                "$.strategies[0].constraints[0].operator: unknown operator \"NOT_A_VALID_OPERATOR\" (known: IN, NOT_IN, "
                        + "STR_STARTS_WITH, STR_ENDS_WITH, STR_CONTAINS, NUM_EQ, NUM_GT, NUM_GTE, NUM_LT, NUM_LTE, "
                        + "DATE_AFTER, DATE_BEFORE, SEMVER_EQ, SEMVER_GT, SEMVER_GTE, SEMVER_LT, SEMVER_LTE, REGEX, IN_CIDR)",
                "$.strategies[0].constraints[1].value: \"^(?=a)b\" is not an RE2 pattern: invalid or unsupported Perl syntax"
                        + " (RE2 has no lookaround or backreferences)",
                "$.strategies[0].constraints[2].value: \"v2.0.0\" is not a semantic version such as 1.2.3 or 2.0.0-rc.1 (no leading v)",
                "$.strategies[0].constraints[3].value: \"ten\" is not a decimal number",
                "$.strategies[0].constraints[4].contextName: must not be empty",
                "$.strategies[0].constraints[4].values[0]: must be a string",
                "$.strategies[0].constraints[5].values[0]: \"10.0.0.0/33\" is not an IP address or CIDR network",
                "$.strategies[0].segments[0]: segment 404 does not exist",
                "$.strategies[1].name: unknown strategy \"mystery\" (known: applicationHostname, default, flexibleRollout, "
                        + "gradualRolloutRandom, gradualRolloutSessionId, gradualRolloutUserId, remoteAddress, userWithId)");
    }

    @Test
    void checksVariants() throws JacksonException {
        assertThat(errors("f", """
                {"enabled":true,"strategies":[],"variants":[
                  {"name":"a","weight":1001},{"name":"a","weight":-1},{"weight":1,"payload":{"type":"yaml","value":"x"}},
                  {"name":"j","weight":1,"payload":{"type":"json","value":"{oops"}},{"name":"s","weight":1,"stickness":"userId"}]}"""))
                .containsExactly(
                        "$.variants[0].weight: must be an integer from 0 to 1000",
                        "$.variants[1].name: \"a\" is used by another variant of this list",
                        "$.variants[1].weight: must be an integer from 0 to 1000",
                        "$.variants[2].name: is required",
                        "$.variants[2].payload.type: must be one of string, json, csv, number",
                        "$.variants[3].payload.value: is not JSON: Unexpected character ('o' (code 111)): was expecting "
                                + "double-quote to start field name",
                        "$.variants[4].stickness: unknown property (allowed: name, overrides, payload, stickiness, weight, weightType)");
    }

    @Test
    void keepsDependenciesOneLevelDeepAndPointingAtFlagsThatExist() throws JacksonException {
        assertThat(errors("new", """
                {"enabled":true,"strategies":[],"dependencies":[{"feature":"child"},{"feature":"ghost"},{"feature":"new"},
                  {"feature":"parent","enabled":false,"variants":["x"]},{"feature":"parent"}]}""")).containsExactly(
                "$.dependencies[0].feature: flag child depends on other flags itself (one level only)",
                "$.dependencies[1].feature: flag ghost does not exist",
                "$.dependencies[2].feature: a flag cannot depend on itself",
                "$.dependencies[3].variants: apply only to a parent that must be enabled",
                "$.dependencies[4].feature: flag parent is named by another dependency");
        assertThat(errors("parent", "{\"enabled\":true,\"strategies\":[],\"dependencies\":[{\"feature\":\"other\"}]}"))
                .contains("$.dependencies: other flags depend on parent, so it cannot depend on one (one level only)");
    }

    @Test
    void checksTheFlagLevel() throws JacksonException {
        assertThat(errors("a/b", """
                {"name":"other","enabled":"yes","rolloutPercentage":50,"strategies":[],"variants":[],"colour":"red"}"""))
                .containsExactly(
                        "$.colour: unknown property (allowed: dependencies, description, enabled, impressionData, name, "
                                + "project, rolloutPercentage, stale, strategies, type, variants)",
                        "$.name: \"other\" differs from the flag's key \"a/b\"",
                        "$.name: flag key must not contain '/'",
                        "$.enabled: must be true or false",
                        "$.rolloutPercentage: must be 100 or absent when strategies are set (use a flexibleRollout strategy)");
        assertThat(errors("x", "{\"enabled\":true,\"rolloutPercentage\":101,\"dependencies\":[{\"feature\":\"parent\"}]}"))
                .containsExactly("$.rolloutPercentage: must be an integer from 0 to 100",
                        "$.strategies: is required when variants or dependencies are set");
        assertThat(errors("Feature.UTF-8.Hellø_Wørld", "{\"enabled\":true,\"strategies\":[]}")).isEmpty();
        assertThat(errors("x".repeat(256), "{\"enabled\":true}")).containsExactly("$: flag key must be at most 255 characters");
        assertThat(errors("tab\there", "{\"enabled\":true}")).containsExactly("$: flag key must not contain control characters");
    }

    @Test
    void checksSegments() throws JacksonException {
        assertThat(RuleValidator.validateSegment(RuleJson.parse("""
                {"id":3,"name":"beta","constraints":[{"contextName":"plan","operator":"IN","values":["pro"]}]}"""))).isEmpty();
        assertThat(RuleValidator.validateSegment(RuleJson.parse("""
                {"id":0,"constraints":[{"contextName":"d","operator":"DATE_BEFORE","value":"tomorrow"}]}""")))
                .extracting(ValidationError::toString).containsExactly(
                        "$.id: must be an integer from 1 to 2147483647",
                        "$.name: is required",
                        "$.constraints[0].value: \"tomorrow\" is not an ISO-8601 date-time such as 2026-01-31T12:00:00Z");
    }
}
