package dev.flagsync.api.read;

import java.util.Locale;

/** The tier that answered a read; sent as the {@code X-Flag-Source} header. */
public enum Source {
    MEMORY, REDIS, DATABASE, STALE;

    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }
}
