package dev.flagsync.api.unleash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flagsync.evaluator.model.RuleJson;
import dev.flagsync.evaluator.model.UnreadableFeature;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.RuleSources;
import dev.flagsync.shared.flag.Segment;
import dev.flagsync.shared.flag.Snapshot;
import java.util.HashMap;
import java.util.Map;

/**
 * A snapshot in the shapes of Unleash's client API ({@code GET /api/client/features}, and the
 * delta API's hydration and feature events): what every Unleash server SDK reads. Pure.
 *
 * <ul>
 *   <li>Every strategy has a {@code parameters} object of strings and a {@code constraints} array
 *       (the Node SDK throws from {@code isEnabled} on a flexibleRollout without parameters).</li>
 *   <li>A flag of the legacy model (no strategies: {@code enabled} plus {@code rolloutPercentage},
 *       contract section 4) becomes {@code default} at 100 %, else {@code flexibleRollout} with
 *       {@code rollout} = the percentage, {@code groupId} = the key and stickiness {@code default}
 *       (userId, else sessionId, else random), so a caller with a userId gets the bucket OFREP
 *       gives its targetingKey.</li>
 *   <li>A flag whose stored rules cannot be read is sent disabled, as the evaluator treats it.</li>
 *   <li>With {@code inlineSegments} (SDKs older than client spec 4.2.0) each strategy's segments
 *       are replaced by their constraints; a segment that does not exist becomes a constraint no
 *       context satisfies ({@code IN []}), since a missing segment makes a strategy false.</li>
 * </ul>
 */
public final class ClientFeatures {

    /** The client API's format version, which Unleash 4 and later answer with. */
    public static final int VERSION = 2;
    /** The context field of the constraint that stands for a segment that does not exist. */
    static final String MISSING_SEGMENT_FIELD = "flagsync-missing-segment";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ClientFeatures() {
    }

    /** {@code {version:2, features, segments}} for every flag of the snapshot, segments by id. */
    public static ObjectNode of(Snapshot snapshot) {
        return of(snapshot, FeatureQuery.ALL, false);
    }

    /**
     * {@code {version:2, features, segments}} for the flags the query keeps; with
     * {@code inlineSegments}, segment constraints are inlined and {@code segments} is empty.
     */
    public static ObjectNode of(Snapshot snapshot, FeatureQuery query, boolean inlineSegments) {
        Map<Integer, Segment> segments = inlineSegments ? segmentsById(snapshot) : null;
        ArrayNode features = JSON.arrayNode();
        for (Flag flag : snapshot.flags()) {
            if (query.keeps(flag.key())) {
                features.add(feature(flag, segments));
            }
        }
        ObjectNode response = JSON.objectNode();
        response.put("version", VERSION);
        response.set("features", features);
        response.set("segments", inlineSegments ? JSON.arrayNode() : segments(snapshot));
        return response;
    }

    /** Every segment of the snapshot as {@code {id, name, constraints}}. */
    public static ArrayNode segments(Snapshot snapshot) {
        ArrayNode segments = JSON.arrayNode();
        snapshot.segments().forEach(segment -> segments.add(segment(segment)));
        return segments;
    }

    public static ObjectNode segment(Segment segment) {
        ObjectNode node = JSON.objectNode();
        node.put("id", segment.id());
        node.put("name", segment.name());
        node.set("constraints", segment.constraints().isArray() ? segment.constraints().deepCopy() : JSON.arrayNode());
        return node;
    }

    /** One flag as an Unleash client feature, its strategies naming segments by id. */
    public static ObjectNode feature(Flag flag) {
        return feature(flag, null);
    }

    /** @param segments the environment's segments to inline, or null to leave segment ids in place */
    static ObjectNode feature(Flag flag, Map<Integer, Segment> segments) {
        ObjectNode feature = JSON.objectNode();
        feature.put("name", flag.key());
        feature.put("type", "release");
        feature.put("project", FeatureQuery.DEFAULT_PROJECT);
        feature.put("description", flag.description());
        feature.put("stale", false);
        feature.put("impressionData", flag.impressionData());
        boolean readable = !flag.hasStrategies()
                || !(RuleJson.readFeature(RuleSources.feature(flag)) instanceof UnreadableFeature);
        feature.put("enabled", flag.enabled() && readable);
        if (!readable) {
            feature.set("strategies", JSON.arrayNode());
            feature.set("variants", JSON.arrayNode());
            return feature;
        }
        feature.set("strategies", flag.hasStrategies() ? strategies(flag.strategies(), segments) : legacyStrategies(flag));
        feature.set("variants", flag.hasStrategies() && flag.variants() != null && flag.variants().isArray()
                ? flag.variants().deepCopy() : JSON.arrayNode());
        if (flag.hasStrategies() && flag.dependencies() != null && flag.dependencies().isArray()
                && !flag.dependencies().isEmpty()) {
            feature.set("dependencies", flag.dependencies().deepCopy());
        }
        return feature;
    }

    private static ArrayNode legacyStrategies(Flag flag) {
        ObjectNode strategy = JSON.objectNode();
        ObjectNode parameters = JSON.objectNode();
        if (flag.rolloutPercentage() == 100) {
            strategy.put("name", "default");
        } else {
            strategy.put("name", "flexibleRollout");
            parameters.put("rollout", Integer.toString(flag.rolloutPercentage()));
            parameters.put("stickiness", "default");
            parameters.put("groupId", flag.key());
        }
        strategy.set("parameters", parameters);
        strategy.set("constraints", JSON.arrayNode());
        return JSON.arrayNode().add(strategy);
    }

    private static ArrayNode strategies(JsonNode stored, Map<Integer, Segment> segments) {
        ArrayNode strategies = JSON.arrayNode();
        for (JsonNode element : stored) {
            if (element.isObject()) {
                strategies.add(strategy((ObjectNode) element, segments));
            }
        }
        return strategies;
    }

    private static ObjectNode strategy(ObjectNode stored, Map<Integer, Segment> segments) {
        ObjectNode strategy = stored.deepCopy();
        strategy.set("parameters", parameters(stored.get("parameters")));
        ArrayNode constraints = stored.path("constraints").isArray() ? (ArrayNode) stored.get("constraints").deepCopy()
                : JSON.arrayNode();
        JsonNode ids = stored.get("segments");
        if (segments != null) {
            strategy.remove("segments");
            if (ids != null && ids.isArray()) {
                ids.forEach(id -> inline(id, segments, constraints));
            }
        }
        strategy.set("constraints", constraints);
        return strategy;
    }

    private static void inline(JsonNode id, Map<Integer, Segment> segments, ArrayNode constraints) {
        Segment segment = id.canConvertToInt() && id.isIntegralNumber() ? segments.get(id.intValue()) : null;
        if (segment != null && segment.constraints().isArray()) {
            segment.constraints().forEach(constraint -> constraints.add(constraint.deepCopy()));
        } else {
            ObjectNode never = JSON.objectNode();
            never.put("contextName", MISSING_SEGMENT_FIELD);
            never.put("operator", "IN");
            never.set("values", JSON.arrayNode());
            constraints.add(never);
        }
    }

    /** Unleash sends parameter values as strings; a number or boolean stored with psql is sent as its text. */
    private static ObjectNode parameters(JsonNode stored) {
        ObjectNode parameters = JSON.objectNode();
        if (stored != null && stored.isObject()) {
            stored.properties().forEach(entry -> {
                JsonNode value = entry.getValue();
                if (value.isValueNode() && !value.isNull()) {
                    parameters.put(entry.getKey(), value.asText());
                }
            });
        }
        return parameters;
    }

    static Map<Integer, Segment> segmentsById(Snapshot snapshot) {
        Map<Integer, Segment> segments = new HashMap<>();
        snapshot.segments().forEach(segment -> segments.put(segment.id(), segment));
        return segments;
    }
}
