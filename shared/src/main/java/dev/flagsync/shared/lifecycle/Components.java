package dev.flagsync.shared.lifecycle;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a process has started, closed in reverse order from one place (its shutdown hook).
 * A component that fails to close is logged and the rest are still closed.
 */
public final class Components implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Components.class);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    /** Registers a started component, to be closed before everything registered earlier. */
    public synchronized <T extends AutoCloseable> T own(T component) {
        started.push(component);
        return component;
    }

    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            AutoCloseable component = started.pop();
            try {
                component.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", component, e);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
