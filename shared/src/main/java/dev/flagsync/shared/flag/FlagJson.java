package dev.flagsync.shared.flag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** The JSON of contract sections 2 and 6: snapshots, flags, segments and admin bodies. Thread-safe. */
public final class FlagJson {

    /** The fields of an admin flag body, in the order error messages list them. */
    public static final List<String> UPDATE_FIELDS = List.of("enabled", "rolloutPercentage", "description",
            "strategies", "variants", "dependencies", "impressionData");
    private static final Set<String> RULE_FIELDS = Set.of("strategies", "variants", "dependencies");

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // Rule JSON is kept as trees: decimals stay as written rather than rounded to doubles.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private FlagJson() {
    }

    /** The mapper behind this codec, for callers that write other JSON (errors, OFREP). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static EncodedSnapshot encode(Snapshot snapshot) {
        return new EncodedSnapshot(snapshot, write(snapshot));
    }

    /** Parses snapshot bytes as stored in Redis; the bytes are kept, not re-serialised. */
    public static EncodedSnapshot decode(byte[] json) {
        try {
            return new EncodedSnapshot(MAPPER.readValue(json, Snapshot.class), json);
        } catch (JsonProcessingException e) {
            throw new InvalidFlagException("not a snapshot: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads an admin create-or-replace body strictly: unknown fields and wrong types are
     * rejected with a message naming the field, so a typo never silently resets a flag. The rule
     * fields are only checked to be arrays or null here; the admin API validates their content.
     */
    public static FlagUpdate readUpdate(byte[] body) {
        return readUpdate(readTree(body));
    }

    /** As {@link #readUpdate(byte[])}, for a body already parsed. */
    public static FlagUpdate readUpdate(JsonNode node) {
        if (!node.isObject()) {
            throw new InvalidFlagException("body must be a JSON object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!UPDATE_FIELDS.contains(name)) {
                throw new InvalidFlagException("unknown field \"" + name + "\"; allowed: " + String.join(", ", UPDATE_FIELDS));
            }
        }
        for (String rules : RULE_FIELDS) {
            JsonNode value = node.get(rules);
            if (value != null && !value.isNull() && !value.isArray()) {
                throw new InvalidFlagException(rules + " must be an array or null");
            }
        }
        return new FlagUpdate(booleanField(node, "enabled", false), intField(node, "rolloutPercentage", 100),
                textField(node, "description"), node.get("strategies"), node.get("variants"), node.get("dependencies"),
                booleanField(node, "impressionData", false));
    }

    /** Parses any JSON document, mapping syntax errors to {@link InvalidFlagException}. */
    public static JsonNode readTree(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidFlagException("body must not be empty");
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidFlagException("body is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean booleanField(JsonNode node, String name, boolean fallback) {
        JsonNode value = node.get(name);
        if (value == null) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new InvalidFlagException(name + " must be true or false");
        }
        return value.booleanValue();
    }

    private static int intField(JsonNode node, String name, int fallback) {
        JsonNode value = node.get(name);
        if (value == null) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new InvalidFlagException(name + " must be a whole number");
        }
        return value.intValue();
    }

    private static String textField(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidFlagException(name + " must be a string or null");
        }
        return value.textValue();
    }
}
