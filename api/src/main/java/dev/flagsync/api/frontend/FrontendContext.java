package dev.flagsync.api.frontend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.flagsync.api.ofrep.EvaluationContext;
import dev.flagsync.evaluator.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The context of an Unleash frontend request, read as Unleash's frontend API reads it: from the
 * query string ({@code ?userId=42&properties%5Bcountry%5D=no}, the browser SDK's GET) or from
 * {@code {"context":{...}}} (its POST). {@code userId}, {@code sessionId}, {@code remoteAddress},
 * {@code currentTime}, {@code appName} and {@code environment} are Unleash's top-level fields
 * (an empty one counts as absent); every other name becomes a property, and
 * {@code properties[name]} wins over a top-level field of the same name. A missing
 * {@code remoteAddress} is the client's address, a missing {@code sessionId} a random one.
 */
public final class FrontendContext {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final String PROPERTIES = "properties";
    private static final String PROPERTY_PREFIX = PROPERTIES + "[";

    private final Map<String, String> fields = new LinkedHashMap<>();
    /** Properties named at the top level, then those under {@code properties}, which override them. */
    private final Map<String, String> loose = new LinkedHashMap<>();
    private final Map<String, String> properties = new LinkedHashMap<>();

    private FrontendContext() {
    }

    /**
     * The SDK's GET: {@code properties[name]=value} is a property (the name is everything between
     * the first {@code [} and the final {@code ]}). A name given twice has its values joined with
     * commas, the string Unleash's server makes of the list its query parser returns.
     */
    public static FrontendContext fromQuery(Map<String, List<String>> query) {
        FrontendContext context = new FrontendContext();
        query.forEach((name, values) -> {
            String value = String.join(",", values);
            if (name.startsWith(PROPERTY_PREFIX) && name.endsWith("]")) {
                String property = name.substring(PROPERTY_PREFIX.length(), name.length() - 1);
                if (!property.isEmpty()) {
                    context.properties.put(property, value);
                }
            } else if (!name.equals(PROPERTIES)) {
                context.put(name, value);
            }
        });
        return context;
    }

    /**
     * The SDK's POST, {@code {"context":{...}}}: no body or no {@code context} is an empty
     * context. Strings are taken as they are, numbers and booleans as their JSON text, objects and
     * arrays as compact JSON; a null property stays null (the specification allows it).
     *
     * @throws IllegalArgumentException when the body is not JSON, or {@code context} or
     *     {@code properties} is not an object; the message says which
     */
    public static FrontendContext fromBody(byte[] body) {
        FrontendContext context = new FrontendContext();
        if (body == null || body.length == 0) {
            return context;
        }
        JsonNode request = parse(body);
        if (!request.isObject()) {
            throw new IllegalArgumentException("request body must be a JSON object such as {\"context\":{\"userId\":\"42\"}}");
        }
        JsonNode given = request.get("context");
        if (given == null || given.isNull()) {
            return context;
        }
        if (!given.isObject()) {
            throw new IllegalArgumentException("context must be a JSON object");
        }
        for (Map.Entry<String, JsonNode> field : given.properties()) {
            if (field.getKey().equals(PROPERTIES)) {
                JsonNode nested = field.getValue();
                if (nested.isNull()) {
                    continue;
                }
                if (!nested.isObject()) {
                    throw new IllegalArgumentException("context.properties must be a JSON object of strings");
                }
                nested.properties().forEach(property -> context.properties.put(property.getKey(), EvaluationContext.unleashText(property.getValue())));
            } else {
                context.put(field.getKey(), EvaluationContext.unleashText(field.getValue()));
            }
        }
        return context;
    }

    private void put(String name, String value) {
        switch (name) {
            case "userId", "sessionId", "remoteAddress", "currentTime", "appName", "environment" -> {
                if (value != null && !value.isEmpty()) {
                    fields.put(name, value);
                }
            }
            default -> loose.put(name, value);
        }
    }

    /**
     * The evaluator's context.
     *
     * @param clientAddress the caller's address, used when the context has no {@code remoteAddress}
     * @param sessionIds    a fresh random session id, used when the context has none
     */
    public Context toContext(String clientAddress, Supplier<String> sessionIds) {
        Context.Builder context = Context.builder()
                .userId(fields.get("userId"))
                .sessionId(fields.containsKey("sessionId") ? fields.get("sessionId") : sessionIds.get())
                .remoteAddress(fields.getOrDefault("remoteAddress", clientAddress))
                .currentTime(fields.get("currentTime"))
                .appName(fields.get("appName"))
                .environment(fields.get("environment"));
        loose.forEach(context::property);
        properties.forEach(context::property);
        return context.build();
    }

    /** A random session id as Unleash's frontend API makes one: 18 random bytes in hex. */
    public static String randomSessionId() {
        byte[] bytes = new byte[18];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("request body is empty JSON; send {\"context\":{...}}");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
