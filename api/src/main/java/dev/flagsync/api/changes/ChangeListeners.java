package dev.flagsync.api.changes;

import dev.flagsync.shared.cache.ChangeNotice;
import dev.flagsync.shared.propagation.Stage;
import dev.flagsync.shared.propagation.StageTimers;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Several listeners told in order; one that throws is logged and does not stop the others. */
public final class ChangeListeners implements ChangeListener {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeListeners.class);

    private final List<ChangeListener> listeners;
    private final StageTimers stages;

    private ChangeListeners(List<ChangeListener> listeners, StageTimers stages) {
        this.listeners = List.copyOf(listeners);
        this.stages = stages;
    }

    /** The order matters: the reader first, so that what the next listener reads is fresh. */
    public static ChangeListeners of(ChangeListener... listeners) {
        return new ChangeListeners(List.of(listeners), null);
    }

    /**
     * As {@link #of}, timing each change: from its publication to here ({@code publish_to_notice},
     * when the notice says when it was sent) and until every listener was told
     * ({@code notice_to_memory_dropped}: the reader drops its copy, the others only hand work on).
     */
    public static ChangeListeners timed(StageTimers stages, ChangeListener... listeners) {
        return new ChangeListeners(List.of(listeners), stages);
    }

    @Override
    public void changed(ChangeNotice change) {
        long told = System.nanoTime();
        if (stages != null) {
            stages.recordSinceMicros(Stage.PUBLISH_TO_NOTICE, change.publishedAtMicros());
        }
        each(listener -> listener.changed(change));
        if (stages != null) {
            stages.record(Stage.NOTICE_TO_MEMORY_DROPPED, System.nanoTime() - told);
        }
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
