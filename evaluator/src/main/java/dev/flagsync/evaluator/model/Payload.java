package dev.flagsync.evaluator.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A variant's payload. Unleash always carries {@code value} as a string ({@code "number"} payloads
 * too: {@code "1.2"}); a number, boolean or JSON object written in its place is read as its JSON text.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Payload(String type, String value) {

    @JsonCreator
    static Payload fromJson(@JsonProperty("type") String type, @JsonProperty("value") JsonNode value) {
        String text = value == null || value.isNull() ? null : value.isTextual() ? value.textValue() : value.toString();
        return new Payload(type, text);
    }
}
