package dev.flagsync.worker.sync;

/** A change message that cannot be applied; its message becomes the dead-letter reason. */
public final class InvalidChangeException extends Exception {

    public InvalidChangeException(String reason) {
        super(reason);
    }
}
