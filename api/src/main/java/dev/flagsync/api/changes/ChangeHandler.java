package dev.flagsync.api.changes;

import dev.flagsync.api.changes.ChangeSubscriber.Listener;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;

/** One subscription's callbacks: passes them to the listeners and notes when the server last answered. */
final class ChangeHandler extends JedisPubSub {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeHandler.class);

    private final List<Listener> listeners;
    private volatile long lastPong = System.nanoTime();

    ChangeHandler(List<Listener> listeners) {
        this.listeners = listeners;
    }

    long nanosSinceLastPong() {
        return System.nanoTime() - lastPong;
    }

    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
        lastPong = System.nanoTime();
        LOG.info("subscribed to {}", channel);
        each(Listener::subscribed);
    }

    @Override
    public void onPong(String pattern) {
        lastPong = System.nanoTime();
    }

    @Override
    public void onMessage(String channel, String message) {
        Change change;
        try {
            change = Change.parse(message);
        } catch (RuntimeException e) {
            LOG.warn("ignoring malformed change notification: {}", e.getMessage());
            return;
        }
        each(listener -> listener.changed(change));
    }

    /** Calls every listener; one that throws is logged and does not stop the others. */
    void each(Consumer<Listener> action) {
        for (Listener listener : listeners) {
            try {
                action.accept(listener);
            } catch (RuntimeException e) {
                LOG.error("change listener {} failed", listener, e);
            }
        }
    }
}
