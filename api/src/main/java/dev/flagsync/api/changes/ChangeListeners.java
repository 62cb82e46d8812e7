package dev.flagsync.api.changes;

import dev.flagsync.shared.cache.ChangeNotice;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Several listeners told in order; one that throws is logged and does not stop the others. */
public final class ChangeListeners implements ChangeListener {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeListeners.class);

    private final List<ChangeListener> listeners;

    private ChangeListeners(List<ChangeListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /** The order matters: the reader first, so that what the next listener reads is fresh. */
    public static ChangeListeners of(ChangeListener... listeners) {
        return new ChangeListeners(List.of(listeners));
    }

    @Override
    public void changed(ChangeNotice change) {
        each(listener -> listener.changed(change));
    }

    @Override
    public void subscribed() {
        each(ChangeListener::subscribed);
    }

    @Override
    public void unsubscribed() {
        each(ChangeListener::unsubscribed);
    }

    private void each(Consumer<ChangeListener> action) {
        for (ChangeListener listener : listeners) {
            try {
                action.accept(listener);
            } catch (RuntimeException e) {
                LOG.error("change listener {} failed", listener, e);
            }
        }
    }
}
