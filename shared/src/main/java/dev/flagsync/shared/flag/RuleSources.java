package dev.flagsync.shared.flag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flagsync.evaluator.CompiledRules;
import dev.flagsync.evaluator.RuleCompiler;
import dev.flagsync.evaluator.model.FeatureSource;
import dev.flagsync.evaluator.model.RuleJson;
import dev.flagsync.evaluator.model.SegmentSource;
import java.util.List;

/**
 * A snapshot's flags and segments in Unleash's client-features shapes, read leniently into the
 * evaluator's model: a flag whose JSON cannot be understood becomes an unreadable one (disabled,
 * with its reason) and never stops the others. Compiling is for once per snapshot version; the
 * API caches the result.
 */
public final class RuleSources {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private RuleSources() {
    }

    /** Compiles every flag and segment of the snapshot; problems and warnings are in the result. */
    public static CompiledRules compile(Snapshot snapshot) {
        return RuleCompiler.compile(features(snapshot), segments(snapshot));
    }

    public static List<FeatureSource> features(Snapshot snapshot) {
        return snapshot.flags().stream().map(flag -> RuleJson.readFeature(feature(flag))).toList();
    }

    public static List<SegmentSource> segments(Snapshot snapshot) {
        return snapshot.segments().stream().map(segment -> RuleJson.readSegment(segment(segment))).toList();
    }

    /**
     * The flag as an Unleash feature: {@code name}, {@code enabled}, {@code impressionData} and the
     * stored rule fields; a flag without strategies carries {@code rolloutPercentage} instead, which
     * the evaluator reads as contract section 4's legacy flag.
     */
    public static ObjectNode feature(Flag flag) {
        ObjectNode feature = JSON.objectNode();
        feature.put("name", flag.key());
        feature.put("enabled", flag.enabled());
        if (flag.hasStrategies()) {
            feature.set("strategies", flag.strategies());
        } else {
            feature.put("rolloutPercentage", flag.rolloutPercentage());
        }
        putIfSet(feature, "variants", flag.variants());
        putIfSet(feature, "dependencies", flag.dependencies());
        feature.put("impressionData", flag.impressionData());
        return feature;
    }

    public static ObjectNode segment(Segment segment) {
        ObjectNode node = JSON.objectNode();
        node.put("id", segment.id());
        node.put("name", segment.name());
        node.set("constraints", segment.constraints());
        return node;
    }

    /**
     * Whether the flag picks variants: it has feature variants, or a strategy with variants. OFREP
     * answers such a flag with the variant's payload rather than with true or false.
     */
    public static boolean hasVariants(Flag flag) {
        if (!flag.hasStrategies()) {
            return false; // the legacy model has no variants (the compiler ignores any stored)
        }
        if (nonEmptyArray(flag.variants())) {
            return true;
        }
        if (flag.strategies().isArray()) {
            for (JsonNode strategy : flag.strategies()) {
                if (nonEmptyArray(strategy.get("variants"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean nonEmptyArray(JsonNode node) {
        return node != null && node.isArray() && !node.isEmpty();
    }

    private static void putIfSet(ObjectNode feature, String field, JsonNode value) {
        if (value != null) {
            feature.set(field, value);
        }
    }
}
