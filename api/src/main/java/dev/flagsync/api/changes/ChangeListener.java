package dev.flagsync.api.changes;

import dev.flagsync.shared.cache.ChangeNotice;

/**
 * What the change subscription (and, while it is down, the version poll) reports: changes, and
 * whether notifications can be relied on.
 */
public interface ChangeListener {

    void changed(ChangeNotice change);

    /** Notifications flow again; anything may have changed while they did not. */
    void subscribed();

    /** Notifications cannot arrive until the next {@link #subscribed()}. */
    void unsubscribed();
}
