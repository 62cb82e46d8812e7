package dev.flagsync.evaluator;

import dev.flagsync.evaluator.condition.Dates;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Unleash's evaluation context: the top-level fields {@code userId} (OFREP's targetingKey),
 * {@code sessionId}, {@code remoteAddress}, {@code currentTime}, {@code environment},
 * {@code appName}, and string {@code properties} (null values allowed, as in the specification).
 * {@code currentTime} is parsed once, here, not per constraint.
 */
public final class Context {

    private static final Context EMPTY = builder().build();

    private final String userId;
    private final String sessionId;
    private final String remoteAddress;
    private final String currentTime;
    private final Instant currentInstant;
    private final String environment;
    private final String appName;
    private final Map<String, String> properties;

    private Context(Builder b) {
        userId = b.userId;
        sessionId = b.sessionId;
        remoteAddress = b.remoteAddress;
        currentTime = b.currentTime;
        currentInstant = b.currentTime == null ? null : Dates.parse(b.currentTime);
        environment = b.environment;
        appName = b.appName;
        properties = b.properties.isEmpty() ? Map.of() : Collections.unmodifiableMap(new HashMap<>(b.properties));
    }

    public static Builder builder() {
        return new Builder();
    }

    public static Context empty() {
        return EMPTY;
    }

    public static Context ofUserId(String userId) {
        return builder().userId(userId).build();
    }

    public String userId() {
        return userId;
    }

    public String sessionId() {
        return sessionId;
    }

    public String remoteAddress() {
        return remoteAddress;
    }

    /** As given; see {@link #currentInstant()} for its parsed value. */
    public String currentTime() {
        return currentTime;
    }

    /** {@code currentTime} parsed (ISO-8601), or null when it was not given or could not be parsed. */
    public Instant currentInstant() {
        return currentInstant;
    }

    public boolean hasCurrentTime() {
        return currentTime != null;
    }

    public String environment() {
        return environment;
    }

    public String appName() {
        return appName;
    }

    public Map<String, String> properties() {
        return properties;
    }

    /** The property's value; null when absent or null. */
    public String property(String name) {
        return properties.get(name);
    }

    @Override
    public String toString() {
        return "Context[userId=" + userId + ", sessionId=" + sessionId + ", remoteAddress=" + remoteAddress
                + ", currentTime=" + currentTime + ", environment=" + environment + ", appName=" + appName
                + ", properties=" + properties + "]";
    }

    /** Builds a context; every field is optional. */
    public static final class Builder {
        private String userId;
        private String sessionId;
        private String remoteAddress;
        private String currentTime;
        private String environment;
        private String appName;
        private final Map<String, String> properties = new HashMap<>();

        private Builder() {
        }

        public Builder userId(String value) {
            userId = value;
            return this;
        }

        public Builder sessionId(String value) {
            sessionId = value;
            return this;
        }

        public Builder remoteAddress(String value) {
            remoteAddress = value;
            return this;
        }

        public Builder currentTime(String value) {
            currentTime = value;
            return this;
        }

        public Builder environment(String value) {
            environment = value;
            return this;
        }

        public Builder appName(String value) {
            appName = value;
            return this;
        }

        public Builder property(String name, String value) {
            properties.put(name, value);
            return this;
        }

        public Context build() {
            return new Context(this);
        }
    }
}
