package dev.flagsync.shared.cache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.FlagNames;
import dev.flagsync.shared.flag.InvalidFlagException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The message on {@link RedisKeys#CHANGES_CHANNEL} (contract section 2), written by the sync
 * worker after each rewarm and read by every API instance: {@code {"environment":..,"version":..}},
 * plus {@code "publishedAtMicros"} (when it was sent, epoch microseconds) for the API's
 * publish-to-notice stage. This record is the only place that knows its shape.
 *
 * <p>{@code publishedAtMicros} is 0 when unknown (a notice made up by the version poll, or sent by
 * an older worker) and takes no part in equality: two notices of one version say the same thing.
 */
public record ChangeNotice(String environment, long version, long publishedAtMicros) {

    public ChangeNotice {
        FlagNames.requireEnvironment(environment);
        if (version < 0) {
            throw new InvalidFlagException("change notice version must not be negative, was " + version);
        }
    }

    public ChangeNotice(String environment, long version) {
        this(environment, version, 0);
    }

    /** The message as published. */
    public String json() {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("environment", environment);
        message.put("version", version);
        if (publishedAtMicros > 0) {
            message.put("publishedAtMicros", publishedAtMicros);
        }
        return new String(FlagJson.write(message), StandardCharsets.UTF_8);
    }

    /** Parses a message; a malformed one is an {@link InvalidFlagException} naming what is wrong. */
    public static ChangeNotice parse(String message) {
        JsonNode node = FlagJson.readTree(message.getBytes(StandardCharsets.UTF_8));
        JsonNode environment = node.get("environment");
        JsonNode version = node.get("version");
        if (environment == null || !environment.isTextual() || version == null || !version.canConvertToLong()) {
            throw new InvalidFlagException("change notification needs a textual environment and a numeric version");
        }
        JsonNode published = node.get("publishedAtMicros");
        long publishedAt = published != null && published.canConvertToLong() ? Math.max(0, published.longValue()) : 0;
        return new ChangeNotice(environment.textValue(), version.longValue(), publishedAt);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ChangeNotice notice && notice.environment.equals(environment) && notice.version == version;
    }

    @Override
    public int hashCode() {
        return Objects.hash(environment, version);
    }
}
