package dev.flagsync.evaluator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleJsonTest {

    private static JsonNode json(String text) throws JacksonException {
        return RuleJson.parse(text);
    }

    @Test
    void readsUnleashShapesAndIgnoresFieldsItDoesNotUse() throws JacksonException {
        FeatureSource read = RuleJson.readFeature(json("""
                {"name":"f","enabled":true,"type":"release","project":"default","stale":false,"impressionData":true,
                 "strategies":[{"name":"flexibleRollout","id":"9f3","sortOrder":1,
                   "parameters":{"rollout":50,"groupId":"f","stickiness":"default"},
                   "constraints":[{"contextName":"country","operator":"IN","values":["NO"],"caseInsensitive":false}],
                   "segments":[3]}],
                 "variants":[{"name":"a","weight":1000,"weightType":"variable","payload":{"type":"json","value":{"k":1}}}],
                 "dependencies":[{"feature":"p","variants":["on"]}]}"""));
        assertThat(read).isInstanceOf(Feature.class);
        Feature f = (Feature) read;
        assertThat(f.impressionData()).isTrue();
        assertThat(f.strategies().get(0).parameters()).containsEntry("rollout", "50"); // number read as its text
        assertThat(f.strategies().get(0).segments()).containsExactly(3);
        assertThat(f.variants().get(0).payload()).isEqualTo(new Payload("json", "{\"k\":1}"));
        assertThat(f.dependencies().get(0).expectsEnabled()).isTrue();
        assertThat(f.rolloutPercentage()).isNull();
    }

    @Test
    void keepsNullListsNullSoTheLegacyModelStaysRecognisable() throws JacksonException {
        Feature f = (Feature) RuleJson.readFeature(json("{\"name\":\"f\",\"enabled\":true,\"rolloutPercentage\":30}"));
        assertThat(f).isEqualTo(Feature.legacy("f", true, 30));
        assertThat(f.strategies()).isNull();
    }

    @Test
    void anElementThatCannotBeReadBecomesUnreadableWithItsPath() throws JacksonException {
        List<FeatureSource> read = RuleJson.readFeatures(json("""
                [{"name":"ok","enabled":true,"strategies":[]},
                 {"name":"bad-weight","enabled":true,"strategies":[],"variants":[{"name":"a","weight":"heavy"}]},
                 {"enabled":true},
                 {"name":"bad-strategies","enabled":true,"strategies":"default"}]"""));
        assertThat(read).extracting(FeatureSource::name).containsExactly("ok", "bad-weight", "", "bad-strategies");
        assertThat(read.get(0)).isInstanceOf(Feature.class);
        assertThat(((UnreadableFeature) read.get(1)).reason()).startsWith("$.variants[0].weight: ");
        assertThat(((UnreadableFeature) read.get(2)).reason()).contains("name");
        assertThat(((UnreadableFeature) read.get(3)).reason()).contains("must be an array");
    }

    @Test
    void segmentsAreReadOneByOne() throws JacksonException {
        List<SegmentSource> read = RuleJson.readSegments(json("""
                [{"id":1,"name":"beta","constraints":[]},{"id":2,"constraints":{"no":"list"}},{"name":"no id"}]"""));
        assertThat(read.get(0)).isEqualTo(Segment.of(1, "beta", List.of()));
        assertThat(read.get(1)).isInstanceOf(UnreadableSegment.class).extracting(SegmentSource::id).isEqualTo(2);
        assertThat(read.get(2)).isInstanceOf(UnreadableSegment.class);
    }

    @Test
    void writesTheModelBackInUnleashShape() throws JacksonException {
        Feature f = Feature.withStrategies("f", true,
                List.of(Strategy.of("default", Map.of(), List.of(Constraint.of("userId", "IN", List.of("1"))))),
                List.of(Variant.of("a", 1, new Payload("string", "x"))), null);
        JsonNode written = RuleJson.mapper().valueToTree(f);
        assertThat(written.has("dependencies")).isFalse();
        assertThat(written.at("/strategies/0/constraints/0/operator").asText()).isEqualTo("IN");
        assertThat(RuleJson.readFeature(written)).isEqualTo(f);
    }
}
