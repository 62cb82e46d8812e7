package dev.flagsync.shared.cache;

import dev.flagsync.shared.flag.FlagNames;

/** Every Redis name flagsync uses (contract section 2), in one place. */
public final class RedisKeys {

    public static final String SNAPSHOT_PREFIX = "feature_flags:";

    /** Pub/sub channel: {"environment":..,"version":..} after each rewarm. */
    public static final String CHANGES_CHANNEL = "feature_flags:changes";

    private RedisKeys() {
    }

    public static String snapshot(String environment) {
        return SNAPSHOT_PREFIX + FlagNames.requireEnvironment(environment);
    }
}
