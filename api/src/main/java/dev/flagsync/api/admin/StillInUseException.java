package dev.flagsync.api.admin;

import java.util.List;

/** A delete refused because other flags still refer to what it would delete; names them. Maps to 409. */
public final class StillInUseException extends RuntimeException {

    private final List<String> flags;

    public StillInUseException(String message, List<String> flags) {
        super(message);
        this.flags = List.copyOf(flags);
    }

    /** The flags that refer to it, sorted. */
    public List<String> flags() {
        return flags;
    }
}
