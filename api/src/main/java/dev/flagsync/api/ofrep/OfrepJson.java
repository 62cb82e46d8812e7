package dev.flagsync.api.ofrep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON for OFREP: a strict reader for request bodies and a writer whose object properties come
 * out sorted, so that equal contexts give equal bytes whatever order the client sent.
 */
final class OfrepJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            // A duplicated name has no single meaning, so it can have no canonical form either.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Doubles would merge distinct decimals (0.1 and 0.10000000000000001) into one context.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .build();

    private OfrepJson() {
    }

    /** Parses a request body; anything that is not one JSON document is a PARSE_ERROR. */
    static JsonNode readRequest(byte[] body) {
        if (body == null || body.length == 0) {
            throw new OfrepException(ErrorCode.PARSE_ERROR, "request body is empty; send {\"context\":{...}}");
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new OfrepException(ErrorCode.PARSE_ERROR, "request body is empty; send {\"context\":{...}}");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new OfrepException(ErrorCode.PARSE_ERROR, "request body is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a stored JSON value (a variant's payload); throws IllegalArgumentException when it is not one. */
    static JsonNode readValue(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("no JSON value");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A JSON tree as compact text, its properties sorted. */
    static String text(JsonNode value) {
        return new String(write(value), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Serialises a value; JSON trees are written with their properties sorted by name. */
    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
