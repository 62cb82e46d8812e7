package dev.flagsync.api.ofrep;

import static dev.flagsync.api.ofrep.OfrepTestData.body;
import static dev.flagsync.api.ofrep.OfrepTestData.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.api.rules.RulesCache;
import dev.flagsync.evaluator.Evaluator;
import dev.flagsync.evaluator.Host;
import dev.flagsync.evaluator.RandomSource;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.Segment;
import dev.flagsync.shared.flag.Snapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OFREP answers of flags in Unleash's rule model: reasons, variants and payloads, the context mapping, unreadable rules. */
class OfrepRulesTest {

    private static final Instant AT = Instant.parse("2026-11-21T10:00:00Z");
    private static final String VARIANTS = """
            [{"name":"blue","weight":1,"payload":{"type":"json","value":"{\\"color\\":\\"#0057b8\\",\\"size\\":2}"},
              "overrides":[{"contextName":"userId","values":["qa-blue"]}]},
             {"name":"label","weight":0,"payload":{"type":"string","value":"Buy now"},
              "overrides":[{"contextName":"userId","values":["qa-label"]}]},
             {"name":"price","weight":0,"payload":{"type":"number","value":"9.90"},
              "overrides":[{"contextName":"userId","values":["qa-price"]}]},
             {"name":"bare","weight":0,"overrides":[{"contextName":"userId","values":["qa-bare"]}]},
             {"name":"broken","weight":0,"payload":{"type":"json","value":"{not json"},
              "overrides":[{"contextName":"userId","values":["qa-broken"]}]}]""";

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final OfrepService service = new OfrepService(new RulesCache(metrics),
            new Evaluator(new Host("api-1", InstantSource.fixed(AT), RandomSource.threadLocal())));

    private static Flag flag(String key, boolean enabled, String strategies, String variants) {
        return new Flag(key, enabled, 100, null, AT, tree(strategies), tree(variants), null, false);
    }

    private static JsonNode tree(String json) {
        return json == null ? null : FlagJson.readTree(json.getBytes(StandardCharsets.UTF_8));
    }

    private static final Snapshot SNAPSHOT = new Snapshot("production", 7, List.of(
            flag("beta", true, "[{\"name\":\"userWithId\",\"parameters\":{\"userIds\":\"alice, bob\"}}]", null),
            flag("nordic", true, """
                    [{"name":"default","parameters":{},"constraints":[
                      {"contextName":"country","operator":"IN","values":["NO","SE"]},
                      {"contextName":"appVersion","operator":"SEMVER_GTE","value":"2.1.0"},
                      {"contextName":"age","operator":"NUM_GT","value":"17"},
                      {"contextName":"newsletter","operator":"IN","values":["true"]}]}]""", null),
            flag("launch", true, """
                    [{"name":"default","parameters":{},"constraints":[
                      {"contextName":"currentTime","operator":"DATE_AFTER","value":"2026-12-01T00:00:00Z"}]}]""", null),
            flag("rollout", true, "[{\"name\":\"flexibleRollout\",\"parameters\":{\"rollout\":\"50\",\"stickiness\":\"userId\",\"groupId\":\"rollout\"}}]", null),
            flag("everyone", true, "[]", null),
            flag("office", true, "[{\"name\":\"remoteAddress\",\"parameters\":{\"IPs\":\"10.0.0.0/8\"}}]", null),
            flag("enterprise", true, "[{\"name\":\"default\",\"parameters\":{},\"segments\":[7]}]", null),
            flag("checkout-button", true, "[{\"name\":\"default\",\"parameters\":{}}]", VARIANTS),
            flag("checkout-off", false, "[{\"name\":\"default\",\"parameters\":{}}]", VARIANTS),
            flag("bad", true, "{\"not\":\"a list\"}", null)),
            List.of(new Segment(7, "enterprise customers", tree("[{\"contextName\":\"plan\",\"operator\":\"IN\",\"values\":[\"enterprise\"]}]"))));

    private JsonNode one(String key, String context) throws IOException {
        return json(service.evaluate(SNAPSHOT, key, body("{\"context\":" + context + "}")));
    }

    @Test
    void aConstraintOrUserListDecidesWithTargetingMatch() throws IOException {
        assertThat(one("beta", "{\"targetingKey\":\"alice\"}")).isEqualTo(json("{\"key\":\"beta\",\"reason\":\"TARGETING_MATCH\","
                + "\"variant\":\"on\",\"value\":true,\"metadata\":{\"environment\":\"production\",\"version\":7}}"));
        assertThat(one("beta", "{\"targetingKey\":\"carol\"}").get("value").booleanValue()).isFalse();
        assertThat(one("beta", "{\"targetingKey\":\"carol\"}").get("reason").textValue()).isEqualTo("TARGETING_MATCH");
    }

    @Test
    void attributesThatAreNotUnleashFieldsAreStringPropertiesNumbersAndBooleansIncluded() throws IOException {
        String nordic = "{\"targetingKey\":\"u\",\"country\":\"NO\",\"appVersion\":\"2.3.0\",\"age\":42,\"newsletter\":true}";
        assertThat(one("nordic", nordic).get("value").booleanValue()).isTrue();
        assertThat(one("nordic", nordic.replace("\"age\":42", "\"age\":17.0")).get("value").booleanValue()).isFalse();
        assertThat(one("nordic", nordic.replace("true}", "false}")).get("value").booleanValue()).isFalse();
        assertThat(one("nordic", nordic.replace("\"NO\"", "\"DK\"")).get("value").booleanValue()).isFalse();
    }

    @Test
    void currentTimeIsUnleashsTopLevelFieldElseTheServersClock() throws IOException {
        assertThat(one("launch", "{\"currentTime\":\"2026-12-24T18:00:00Z\"}").get("value").booleanValue()).isTrue();
        // The evaluator's clock is fixed at 2026-11-21.
        assertThat(one("launch", "{}").get("value").booleanValue()).isFalse();
    }

    @Test
    void aPercentageDecidesWithSplitAndEveryoneWithStatic() throws IOException {
        int on = 0;
        for (int i = 0; i < 100; i++) {
            JsonNode answer = one("rollout", "{\"targetingKey\":\"user-" + i + "\"}");
            assertThat(answer.get("reason").textValue()).isEqualTo("SPLIT");
            on += answer.get("value").booleanValue() ? 1 : 0;
        }
        assertThat(on).isBetween(30, 70);
        // A strategy flag without a key is off, not TARGETING_KEY_MISSING (that is the legacy model's answer).
        assertThat(one("rollout", "{}").get("value").booleanValue()).isFalse();
        assertThat(one("everyone", "{}").get("reason").textValue()).isEqualTo("STATIC");
    }

    @Test
    void segmentsOfTheSnapshotApply() throws IOException {
        assertThat(one("enterprise", "{\"plan\":\"enterprise\"}").get("value").booleanValue()).isTrue();
        assertThat(one("enterprise", "{\"plan\":\"free\"}").get("value").booleanValue()).isFalse();
    }

    @Test
    void aVariantAnswersItsNameAndItsPayloadAsTheValueOfItsType() throws IOException {
        JsonNode blue = one("checkout-button", "{\"targetingKey\":\"qa-blue\"}");
        assertThat(blue).isEqualTo(json("{\"key\":\"checkout-button\",\"reason\":\"TARGETING_MATCH\",\"variant\":\"blue\","
                + "\"value\":{\"color\":\"#0057b8\",\"size\":2},\"metadata\":{\"environment\":\"production\",\"version\":7}}"));
        assertThat(one("checkout-button", "{\"targetingKey\":\"qa-label\"}").get("value")).isEqualTo(json("\"Buy now\""));
        assertThat(one("checkout-button", "{\"targetingKey\":\"qa-price\"}").get("value").decimalValue()).isEqualByComparingTo("9.90");
        assertThat(one("checkout-button", "{\"targetingKey\":\"qa-price\"}").get("value").isNumber()).isTrue();
        assertThat(one("checkout-button", "{\"targetingKey\":\"qa-bare\"}").get("value")).isEqualTo(json("\"bare\""));
        // A payload that does not parse as its type is answered as the string it is.
        assertThat(one("checkout-button", "{\"targetingKey\":\"qa-broken\"}").get("value")).isEqualTo(json("\"{not json\""));
        JsonNode weighted = one("checkout-button", "{\"targetingKey\":\"someone\"}");
        assertThat(weighted.get("variant").textValue()).isEqualTo("blue");
        assertThat(weighted.get("reason").textValue()).isEqualTo("STATIC"); // one variant with weight: no split
    }

    @Test
    void aFlagWithVariantsThatGivesNoneAnswersNoValueSoTheCallerGetsItsDefault() throws IOException {
        assertThat(one("checkout-off", "{\"targetingKey\":\"qa-blue\"}")).isEqualTo(json(
                "{\"key\":\"checkout-off\",\"reason\":\"DISABLED\",\"metadata\":{\"environment\":\"production\",\"version\":7}}"));
    }

    @Test
    void unreadableRulesAreAParseErrorOfThatFlagOnlyAndCounted() throws IOException {
        OfrepResponse single = service.evaluate(SNAPSHOT, "bad", body("{\"context\":{}}"));
        assertThat(single.status()).isEqualTo(500);
        assertThat(json(single).get("errorCode").textValue()).isEqualTo("PARSE_ERROR");
        assertThat(json(single).get("errorDetails").textValue()).contains("bad").contains("strategies");

        JsonNode bulk = json(service.evaluateAll(SNAPSHOT, body("{\"context\":{\"targetingKey\":\"alice\"}}"), null));
        assertThat(bulk.get("flags")).hasSize(10);
        for (JsonNode entry : bulk.get("flags")) {
            if (entry.get("key").textValue().equals("bad")) {
                assertThat(entry.get("errorCode").textValue()).isEqualTo("PARSE_ERROR");
            } else {
                assertThat(entry.has("errorCode")).as(entry.toString()).isFalse();
            }
        }
        assertThat(metrics.get("flagsync.rules.unreadable").tag("environment", "production").tag("kind", "flag")
                .gauge().value()).isEqualTo(1.0);
        assertThat(metrics.get("flagsync.rules.unreadable").tag("environment", "production").tag("kind", "segment")
                .gauge().value()).isZero();
    }

    @Test
    void theClientAddressIsTheRemoteAddressOnlyWhenTheContextHasNone() throws IOException {
        byte[] none = body("{\"context\":{}}");
        assertThat(json(service.evaluate(SNAPSHOT, "office", none, "10.1.2.3")).get("value").booleanValue()).isTrue();
        assertThat(json(service.evaluate(SNAPSHOT, "office", none, null)).get("value").booleanValue()).isFalse();
        byte[] given = body("{\"context\":{\"remoteAddress\":\"192.168.1.1\"}}");
        assertThat(json(service.evaluate(SNAPSHOT, "office", given, "10.1.2.3")).get("value").booleanValue()).isFalse();
        // The bulk ETag covers the address it evaluated with.
        assertThat(service.evaluateAll(SNAPSHOT, none, null, "10.1.2.3").etag())
                .isNotEqualTo(service.evaluateAll(SNAPSHOT, none, null, "10.9.9.9").etag())
                .isNotEqualTo(service.evaluateAll(SNAPSHOT, none, null, null).etag());
    }

    @Test
    void rulesAreCompiledOncePerEnvironmentVersion() {
        RulesCache cache = new RulesCache(new SimpleMeterRegistry());

        assertThat(cache.rules(SNAPSHOT)).isSameAs(cache.rules(new Snapshot("production", 7, SNAPSHOT.flags(), SNAPSHOT.segments())));
        assertThat(cache.rules(new Snapshot("production", 8, SNAPSHOT.flags()))).isNotSameAs(cache.rules(SNAPSHOT));
        assertThat(cache.rules(new Snapshot("staging", 7, SNAPSHOT.flags()))).isNotSameAs(cache.rules(SNAPSHOT));
    }
}
