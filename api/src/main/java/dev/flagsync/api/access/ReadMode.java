package dev.flagsync.api.access;

import dev.flagsync.shared.config.ConfigException;
import dev.flagsync.shared.config.Env;

/** READ_ACCESS: {@code open} (reads need no token) or {@code token} (every read needs one covering the environment). */
public enum ReadMode {
    OPEN, TOKEN;

    /** Defaults to {@code token} when READ_TOKENS is set (the behaviour before READ_ACCESS existed), else {@code open}. */
    public static ReadMode from(Env env, boolean readTokensSet) {
        String value = env.optional("READ_ACCESS", readTokensSet ? "token" : "open");
        return switch (value) {
            case "open" -> {
                if (readTokensSet) {
                    throw new ConfigException("READ_ACCESS=open makes READ_TOKENS pointless: unset one of them");
                }
                yield OPEN;
            }
            case "token" -> TOKEN;
            default -> throw new ConfigException("READ_ACCESS must be open or token");
        };
    }
}
