package dev.flagsync.worker;

import dev.flagsync.shared.config.ConfigException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** What one worker process does; {@code WORKER_ROLES} picks any non-empty subset. */
public enum Role {
    /** Debezium reads the replication slot and publishes each change to Kafka. */
    CAPTURE,
    /** Consumes the change topic and rewarms Redis snapshots. */
    SYNC;

    static Set<Role> parse(List<String> names) {
        if (names.isEmpty()) {
            throw new ConfigException("WORKER_ROLES must name at least one of capture, sync");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : names) {
            try {
                roles.add(valueOf(name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("WORKER_ROLES has unknown role \"" + name + "\"; allowed: capture, sync");
            }
        }
        return Set.copyOf(roles);
    }
}
