package dev.flagsync.api.changes;

import dev.flagsync.shared.cache.ChangeNotice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;

/**
 * One subscription's callbacks, run on the subscribing thread: passes them to the listener and
 * notes when the server last answered.
 */
final class ChangeHandler extends JedisPubSub {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeHandler.class);

    private final ChangeListener listener;
    private final Runnable onSubscribe;
    private volatile long lastPong = System.nanoTime();

    /** @param onSubscribe run once the server confirmed the subscription, before the listener is told */
    ChangeHandler(ChangeListener listener, Runnable onSubscribe) {
        this.listener = listener;
        this.onSubscribe = onSubscribe;
    }

    long nanosSinceLastPong() {
        return System.nanoTime() - lastPong;
    }

    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
        lastPong = System.nanoTime();
        LOG.info("subscribed to {}", channel);
        onSubscribe.run();
        listener.subscribed();
    }

    @Override
    public void onPong(String pattern) {
        lastPong = System.nanoTime();
    }

    @Override
    public void onMessage(String channel, String message) {
        ChangeNotice change;
        try {
            change = ChangeNotice.parse(message);
        } catch (RuntimeException e) {
            LOG.warn("ignoring malformed change notification: {}", e.getMessage());
            return;
        }
        listener.changed(change);
    }
}
