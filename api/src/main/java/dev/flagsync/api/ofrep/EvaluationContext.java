package dev.flagsync.api.ofrep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The evaluation context of an OFREP request: its targeting key (null when absent or empty) and
 * the whole context object, which the bulk ETag hashes in canonical form.
 */
public record EvaluationContext(String targetingKey, ObjectNode json) {

    public EvaluationContext {
        if (targetingKey != null && targetingKey.isEmpty()) {
            targetingKey = null;
        }
        json = json == null ? JsonNodeFactory.instance.objectNode() : json.deepCopy();
    }

    /** A context holding only a targeting key (or none when null), as a provider would send it. */
    public static EvaluationContext ofTargetingKey(String targetingKey) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        if (targetingKey != null) {
            json.put("targetingKey", targetingKey);
        }
        return new EvaluationContext(targetingKey, json);
    }

    /**
     * Reads {@code {"context":{...}}}. No context at all is an empty context (as flagd and the
     * OpenFeature SDKs treat it); a body that is not a JSON object is PARSE_ERROR; a context that
     * is not an object, or a targetingKey that is not a string, is INVALID_CONTEXT.
     */
    public static EvaluationContext fromRequestBody(byte[] body) {
        JsonNode request = OfrepJson.readRequest(body);
        if (!request.isObject()) {
            throw new OfrepException(ErrorCode.PARSE_ERROR, "request body must be a JSON object such as {\"context\":{...}}");
        }
        JsonNode context = request.get("context");
        if (context == null) {
            return ofTargetingKey(null);
        }
        if (!context.isObject()) {
            throw new OfrepException(ErrorCode.INVALID_CONTEXT, "context must be a JSON object");
        }
        JsonNode key = context.get("targetingKey");
        if (key != null && !key.isNull() && !key.isTextual()) {
            throw new OfrepException(ErrorCode.INVALID_CONTEXT, "context.targetingKey must be a string");
        }
        return new EvaluationContext(key == null ? null : key.textValue(), (ObjectNode) context);
    }

    public boolean hasTargetingKey() {
        return targetingKey != null;
    }

    /** The context as JSON with every object's properties sorted: equal contexts, equal bytes. */
    public byte[] canonicalJson() {
        return OfrepJson.write(json);
    }
}
