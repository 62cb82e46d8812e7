package dev.flagsync.shared.cache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.FlagNames;
import dev.flagsync.shared.flag.InvalidFlagException;
import java.nio.charset.StandardCharsets;

/**
 * The message on {@link RedisKeys#CHANGES_CHANNEL} (contract section 2), written by the sync
 * worker after each rewarm and read by every API instance: {@code {"environment":..,"version":..}}.
 * This record is the only place that knows its shape.
 */
public record ChangeNotice(String environment, long version) {

    public ChangeNotice {
        FlagNames.requireEnvironment(environment);
        if (version < 0) {
            throw new InvalidFlagException("change notice version must not be negative, was " + version);
        }
    }

    /** The message as published. */
    public String json() {
        return new String(FlagJson.write(this), StandardCharsets.UTF_8);
    }

    /** Parses a message; a malformed one is an {@link InvalidFlagException} naming what is wrong. */
    public static ChangeNotice parse(String message) {
        JsonNode node = FlagJson.readTree(message.getBytes(StandardCharsets.UTF_8));
        JsonNode environment = node.get("environment");
        JsonNode version = node.get("version");
        if (environment == null || !environment.isTextual() || version == null || !version.canConvertToLong()) {
            throw new InvalidFlagException("change notification needs a textual environment and a numeric version");
        }
        return new ChangeNotice(environment.textValue(), version.longValue());
    }
}
