package dev.flagsync.api.ofrep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flagsync.evaluator.Context;
import java.util.Map;

/**
 * The evaluation context of an OFREP request: its targeting key (null when absent or empty) and
 * the whole context object, which the bulk ETag hashes in canonical form.
 */
public record EvaluationContext(String targetingKey, ObjectNode json) {

    static final String REMOTE_ADDRESS = "remoteAddress";

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

    /**
     * This context with {@code remoteAddress} set to {@code address} unless it has one already (or
     * {@code address} is null); the ETag of a bulk answer then covers the address too.
     */
    public EvaluationContext withRemoteAddress(String address) {
        JsonNode given = json.get(REMOTE_ADDRESS);
        if (address == null || given != null && !given.isNull()) {
            return this;
        }
        ObjectNode copy = json.deepCopy();
        copy.put(REMOTE_ADDRESS, address);
        return new EvaluationContext(targetingKey, copy);
    }

    /**
     * Unleash's context: {@code targetingKey} is {@code userId}; {@code sessionId},
     * {@code remoteAddress}, {@code currentTime}, {@code appName} and {@code environment} are its
     * top-level fields; every other attribute is a property (an attribute named {@code userId}
     * too: only the targeting key is the user). Unleash's values are strings, so numbers and
     * booleans become their JSON text ({@code 42}, {@code 0.5}, {@code true}), objects and arrays
     * their compact JSON, and null stays null.
     */
    public Context toUnleash() {
        Context.Builder context = Context.builder().userId(targetingKey);
        for (Map.Entry<String, JsonNode> attribute : json.properties()) {
            String name = attribute.getKey();
            String value = unleashText(attribute.getValue());
            switch (name) {
                case "targetingKey" -> { }
                case "sessionId" -> context.sessionId(value);
                case REMOTE_ADDRESS -> context.remoteAddress(value);
                case "currentTime" -> context.currentTime(value);
                case "appName" -> context.appName(value);
                case "environment" -> context.environment(value);
                default -> context.property(name, value);
            }
        }
        return context.build();
    }

    /**
     * A JSON context value as Unleash's string (see {@link #toUnleash()}); the Unleash frontend API
     * converts its POST bodies' values with the same rule, so one context answers alike on both.
     */
    public static String unleashText(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isBigDecimal() || value.isFloatingPointNumber()) {
            return value.decimalValue().toPlainString();
        }
        return value.isValueNode() ? value.asText() : OfrepJson.text(value);
    }

    /** The context as JSON with every object's properties sorted: equal contexts, equal bytes. */
    public byte[] canonicalJson() {
        return OfrepJson.write(json);
    }
}
