package dev.flagsync.api.changes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.FlagNames;
import dev.flagsync.shared.flag.InvalidFlagException;
import java.nio.charset.StandardCharsets;

/** A change notification from channel {@code feature_flags:changes}: the environment and its new version. */
public record Change(String environment, long version) {

    /** Parses {@code {"environment":..,"version":..}}. */
    public static Change parse(String message) {
        JsonNode node = FlagJson.readTree(message.getBytes(StandardCharsets.UTF_8));
        JsonNode environment = node.get("environment");
        JsonNode version = node.get("version");
        if (environment == null || !environment.isTextual() || version == null || !version.canConvertToLong()) {
            throw new InvalidFlagException("change notification needs a textual environment and a numeric version");
        }
        return new Change(FlagNames.requireEnvironment(environment.textValue()), version.longValue());
    }
}
