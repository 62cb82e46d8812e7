package dev.flagsync.evaluator.model;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads flags and segments from Unleash-shaped JSON one element at a time, so that one element
 * that cannot be understood becomes an {@link UnreadableFeature} or {@link UnreadableSegment}
 * with its reason, and never stops the others from being read.
 */
public final class RuleJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private RuleJson() {
    }

    /** The mapper the model is read with; it also writes the model back in Unleash's shape. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static FeatureSource readFeature(JsonNode node) {
        String name = node != null && node.path("name").isTextual() ? node.get("name").textValue() : null;
        if (name == null || name.isEmpty()) {
            return new UnreadableFeature(name == null ? "" : name, "a flag needs a non-empty string \"name\"");
        }
        JsonNode strategies = node.get("strategies");
        if (strategies != null && !strategies.isNull() && !strategies.isArray()) {
            // Jackson refuses it too, but this says so in the user's terms.
            return new UnreadableFeature(name, "\"strategies\" must be an array or null, not " + strategies.getNodeType());
        }
        try {
            return MAPPER.treeToValue(node, Feature.class);
        } catch (JacksonException | IllegalArgumentException e) {
            return new UnreadableFeature(name, reason(e));
        }
    }

    public static SegmentSource readSegment(JsonNode node) {
        if (node == null || !node.path("id").canConvertToInt() || !node.path("id").isIntegralNumber()) {
            return new UnreadableSegment(-1, "a segment needs an integer \"id\"");
        }
        try {
            return MAPPER.treeToValue(node, Segment.class);
        } catch (JacksonException | IllegalArgumentException e) {
            return new UnreadableSegment(node.get("id").intValue(), reason(e));
        }
    }

    /** Reads each element of a JSON array of flags; a missing or non-array node reads as none. */
    public static List<FeatureSource> readFeatures(JsonNode array) {
        List<FeatureSource> features = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(node -> features.add(readFeature(node)));
        }
        return features;
    }

    public static List<SegmentSource> readSegments(JsonNode array) {
        List<SegmentSource> segments = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(node -> segments.add(readSegment(node)));
        }
        return segments;
    }

    public static JsonNode parse(String json) throws JacksonException {
        return MAPPER.readTree(json);
    }

    private static String reason(Exception e) {
        if (!(e instanceof JsonMappingException mapping)) {
            return e.getMessage();
        }
        StringBuilder path = new StringBuilder("$");
        for (JsonMappingException.Reference reference : mapping.getPath()) {
            if (reference.getFieldName() != null) {
                path.append('.').append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        Throwable cause = mapping.getCause() != null && !(mapping.getCause() instanceof JacksonException)
                ? mapping.getCause() : null;
        String message = cause != null ? cause.getMessage() : mapping.getOriginalMessage();
        return path + ": " + firstLine(message);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
