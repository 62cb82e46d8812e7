package dev.flagsync.api.unleash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flagsync.api.admin.ImportPlan;
import dev.flagsync.api.admin.ImportPlan.FlagCandidate;
import dev.flagsync.api.admin.ImportPlan.Refusal;
import dev.flagsync.api.admin.ImportPlan.SegmentCandidate;
import dev.flagsync.shared.flag.InvalidFlagException;
import dev.flagsync.shared.flag.Snapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what Unleash gives out into an {@link ImportPlan}: either the answer of its client API
 * ({@code GET /api/client/features}: {@code features} with strategies and variants in place, and
 * {@code segments} with their constraints), or its feature export ({@code features},
 * {@code featureStrategies}, {@code featureEnvironments}, {@code dependencies}, {@code segments}
 * by id and name only). Fields flagsync does not keep (projects, tags, types, staleness, ids...)
 * are listed with their counts. Pure: the environment as stored is only used to find an
 * export's segments by name, since an export carries no segment constraints.
 */
public final class UnleashImport {

    public static final String CLIENT_FEATURES = "client-features";
    public static final String EXPORT = "export";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<String> FLAG_FIELDS = Set.of("name", "enabled", "description", "impressionData", "strategies",
            "variants", "dependencies");
    private static final Set<String> STRATEGY_FIELDS = Set.of("name", "title", "parameters", "constraints", "segments", "variants");
    private static final Set<String> SEGMENT_FIELDS = Set.of("id", "name", "description", "constraints");
    private static final Map<String, String> WHY = Map.ofEntries(
            Map.entry("project", "flagsync has no projects: every flag is in Unleash's default project"),
            Map.entry("type", "flagsync has no flag types"),
            Map.entry("stale", "flagsync does not track staleness"),
            Map.entry("archived", "flagsync has no archive"),
            Map.entry("featureTags", "flagsync has no tags"),
            Map.entry("tagTypes", "flagsync has no tags"),
            Map.entry("contextFields", "flagsync needs no context field definitions: any field can be used"),
            Map.entry("strategies[].id", "flagsync keeps strategies in their order, without ids"),
            Map.entry("strategies[].sortOrder", "strategies are stored in their sort order"),
            Map.entry("strategies[].disabled", "a disabled strategy is left out, as Unleash does not serve it"),
            Map.entry("strategies[].featureName", "the strategy is stored on its flag"),
            Map.entry("strategies[].environment", "the strategy is stored in the environment imported into"));
    private static final String OTHER = "not part of flagsync's model";

    private final Map<String, Integer> ignored = new LinkedHashMap<>();
    private final List<Refusal> refused = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final Set<Integer> segmentIds = new HashSet<>();

    private UnleashImport() {
    }

    /** The plan for {@code body}; throws (400) when it is neither of Unleash's shapes. */
    public static ImportPlan plan(JsonNode body, Snapshot current) {
        if (body == null || !body.isObject() || !body.path("features").isArray()) {
            throw new InvalidFlagException("an import is Unleash's /api/client/features answer or its feature export:"
                    + " a JSON object with a \"features\" array");
        }
        UnleashImport reader = new UnleashImport();
        return body.has("featureStrategies") ? reader.export(body, current) : reader.clientFeatures(body);
    }

    private ImportPlan clientFeatures(JsonNode body) {
        List<SegmentCandidate> segments = new ArrayList<>();
        for (JsonNode segment : elements(body.get("segments"))) {
            SegmentCandidate candidate = segment(segment);
            if (candidate != null) {
                segments.add(candidate);
            }
        }
        List<FlagCandidate> flags = new ArrayList<>();
        int index = 0;
        for (JsonNode feature : elements(body.get("features"))) {
            String name = name(feature, index++);
            if (name != null) {
                ignoreOthers(feature, FLAG_FIELDS, "");
                flags.add(new FlagCandidate(name, flag(feature, feature.get("enabled"), feature.get("strategies"),
                        feature.get("variants"), feature.get("dependencies"), Map.of())));
            }
        }
        return plan(CLIENT_FEATURES, segments, flags);
    }

    private ImportPlan export(JsonNode body, Snapshot current) {
        Map<String, JsonNode> environments = byFeature(body.get("featureEnvironments"), "featureName");
        Map<String, ArrayNode> strategies = new LinkedHashMap<>();
        for (JsonNode strategy : elements(body.get("featureStrategies"))) {
            if (strategy.path("featureName").isTextual()) {
                strategies.computeIfAbsent(strategy.get("featureName").textValue(), k -> JSON.arrayNode()).add(strategy);
            }
        }
        Map<String, JsonNode> dependencies = byFeature(body.get("dependencies"), "feature");
        List<SegmentCandidate> segments = new ArrayList<>();
        Map<Integer, Integer> segmentIds = exportSegments(body.get("segments"), current, segments);
        for (String section : List.of("featureTags", "tagTypes", "contextFields")) {
            if (!elements(body.get(section)).isEmpty()) {
                ignored.merge(section, elements(body.get(section)).size(), Integer::sum);
            }
        }
        List<FlagCandidate> flags = new ArrayList<>();
        int index = 0;
        for (JsonNode feature : elements(body.get("features"))) {
            String name = name(feature, index++);
            if (name == null) {
                continue;
            }
            if (feature.path("archived").asBoolean(false)) {
                refused.add(Refusal.of("flag", name, "$.features[" + (index - 1) + "].archived", "archived in Unleash"));
                continue;
            }
            ignoreOthers(feature, Set.of("name", "description", "impressionData"), "");
            JsonNode environment = environments.get(name);
            ignoreOthers(environment, Set.of("enabled", "variants", "featureName", "environment", "name"), "featureEnvironments[].");
            flags.add(new FlagCandidate(name, flag(feature, environment == null ? null : environment.get("enabled"),
                    strategies.getOrDefault(name, JSON.arrayNode()),
                    environment == null ? null : environment.get("variants"),
                    dependencies.containsKey(name) ? dependencies.get(name).get("dependencies") : null, segmentIds)));
        }
        return plan(EXPORT, segments, flags);
    }

    /**
     * An export's segments: with constraints (not in Unleash's schema, but added by hand) they are
     * imported as they are; by name only, they map to the environment's segment of that name. The
     * answer maps Unleash's ids to flagsync's; a segment found neither way maps to none, so the
     * strict check refuses the flags that use it, naming the segment id.
     */
    private Map<Integer, Integer> exportSegments(JsonNode list, Snapshot current, List<SegmentCandidate> segments) {
        Map<Integer, Integer> ids = new LinkedHashMap<>();
        for (JsonNode segment : elements(list)) {
            if (segment.has("constraints")) {
                SegmentCandidate candidate = segment(segment);
                if (candidate != null) {
                    segments.add(candidate);
                    ids.put(candidate.id(), candidate.id());
                }
            } else if (segment.path("id").canConvertToInt() && segment.path("name").isTextual()) {
                String name = segment.get("name").textValue();
                current.segments().stream().filter(stored -> name.equals(stored.name())).findFirst()
                        .ifPresent(stored -> ids.put(segment.get("id").intValue(), stored.id()));
            }
        }
        return ids;
    }

    private SegmentCandidate segment(JsonNode segment) {
        if (!segment.path("id").isIntegralNumber() || !segment.get("id").canConvertToInt() || segment.get("id").intValue() < 1) {
            refused.add(Refusal.of("segment", segment.path("id").asText("?"), "$.id", "a segment needs a whole-number id from 1"));
            return null;
        }
        int id = segment.get("id").intValue();
        if (!segmentIds.add(id)) {
            refused.add(Refusal.of("segment", Integer.toString(id), "$.id", "an earlier segment of the import has this id; the first is taken"));
            return null;
        }
        ignoreOthers(segment, SEGMENT_FIELDS, "segments[].");
        ObjectNode body = JSON.objectNode();
        body.put("name", segment.path("name").isTextual() && !segment.get("name").textValue().isBlank()
                ? segment.get("name").textValue() : "segment-" + id);
        copyIfSet(segment, body, "description");
        body.set("constraints", segment.has("constraints") ? segment.get("constraints") : JSON.arrayNode());
        return new SegmentCandidate(id, body);
    }

    /** The admin body of one flag; {@code segmentIds} maps an export's segment ids (empty: keep them). */
    private ObjectNode flag(JsonNode feature, JsonNode enabled, JsonNode strategies, JsonNode variants,
                            JsonNode dependencies, Map<Integer, Integer> segmentIds) {
        ObjectNode body = JSON.objectNode();
        body.set("enabled", enabled == null ? JSON.booleanNode(false) : enabled);
        copyIfSet(feature, body, "description");
        copyIfSet(feature, body, "impressionData");
        body.set("strategies", strategies == null || strategies.isNull() ? JSON.arrayNode()
                : strategies.isArray() ? strategies(strategies, segmentIds) : strategies);
        if (variants != null && !variants.isNull()) {
            body.set("variants", variants);
        }
        if (dependencies != null && !dependencies.isNull()) {
            body.set("dependencies", dependencies);
        }
        return body;
    }

    private ArrayNode strategies(JsonNode stored, Map<Integer, Integer> segmentIds) {
        List<JsonNode> ordered = new ArrayList<>();
        stored.forEach(ordered::add);
        // An export lists strategies in any order; Unleash evaluates them by sortOrder (stable for ties).
        ordered.sort((a, b) -> Double.compare(a.path("sortOrder").asDouble(0), b.path("sortOrder").asDouble(0)));
        ArrayNode strategies = JSON.arrayNode();
        for (JsonNode strategy : ordered) {
            if (!strategy.isObject()) {
                strategies.add(strategy); // refused by the strict check, with its path
                continue;
            }
            ignoreOthers(strategy, STRATEGY_FIELDS, "strategies[].");
            if (strategy.path("disabled").asBoolean(false)) {
                continue;
            }
            ObjectNode kept = JSON.objectNode();
            STRATEGY_FIELDS.stream().sorted().forEach(field -> copyIfSet(strategy, kept, field));
            if (!segmentIds.isEmpty() || strategy.has("featureName")) {
                kept.set("segments", mapped(strategy.get("segments"), segmentIds));
            }
            strategies.add(kept);
        }
        return strategies;
    }

    /** An export's segment ids in flagsync's terms; an unknown one stays, for the check to refuse by id. */
    private static JsonNode mapped(JsonNode ids, Map<Integer, Integer> segmentIds) {
        if (ids == null || !ids.isArray()) {
            return ids == null ? JSON.arrayNode() : ids;
        }
        ArrayNode mapped = JSON.arrayNode();
        ids.forEach(id -> mapped.add(id.canConvertToInt() && segmentIds.containsKey(id.intValue())
                ? JSON.numberNode(segmentIds.get(id.intValue())) : id));
        return mapped;
    }

    /** The feature's name, or null (refused) when it has none or an earlier feature had it. */
    private String name(JsonNode feature, int index) {
        if (feature.path("name").isTextual() && !feature.get("name").textValue().isEmpty()) {
            String name = feature.get("name").textValue();
            if (names.add(name)) {
                return name;
            }
            refused.add(Refusal.of("flag", name, "$.features[" + index + "].name",
                    "an earlier feature of the import has this name; the first is taken"));
            return null;
        }
        refused.add(Refusal.of("flag", "#" + index, "$.features[" + index + "].name", "a flag needs a non-empty string name"));
        return null;
    }

    private void ignoreOthers(JsonNode node, Set<String> kept, String prefix) {
        if (node != null && node.isObject()) {
            node.fieldNames().forEachRemaining(field -> {
                if (!kept.contains(field) && !node.get(field).isNull()) {
                    ignored.merge(prefix + field, 1, Integer::sum);
                }
            });
        }
    }

    private static Map<String, JsonNode> byFeature(JsonNode list, String field) {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (JsonNode element : elements(list)) {
            JsonNode name = element.path(field).isTextual() ? element.get(field) : element.path("name");
            if (name.isTextual()) {
                byName.putIfAbsent(name.textValue(), element);
            }
        }
        return byName;
    }

    private static List<JsonNode> elements(JsonNode array) {
        List<JsonNode> elements = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(elements::add);
        }
        return elements;
    }

    private static void copyIfSet(JsonNode from, ObjectNode to, String field) {
        JsonNode value = from.get(field);
        if (value != null && !value.isNull()) {
            to.set(field, value.deepCopy());
        }
    }

    private ImportPlan plan(String format, List<SegmentCandidate> segments, List<FlagCandidate> flags) {
        List<ImportPlan.Ignored> notes = new ArrayList<>();
        ignored.forEach((field, count) -> notes.add(new ImportPlan.Ignored(field, count,
                WHY.getOrDefault(field, WHY.getOrDefault(field.substring(field.lastIndexOf('.') + 1), OTHER)))));
        return new ImportPlan(format, segments, flags, refused, notes);
    }
}
