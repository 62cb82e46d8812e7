package dev.flagsync.api.changes;

import dev.flagsync.shared.cache.RedisClients;
import dev.flagsync.shared.cache.RedisKeys;
import dev.flagsync.shared.config.RedisConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Listens on {@code feature_flags:changes} and tells its listeners. Pub/sub delivers at most
 * once, so whenever the subscription is down the listener is told the memory tier is suspect,
 * and on every (re)subscription that it may trust it again after dropping everything.
 */
public final class ChangeSubscriber implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeSubscriber.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /** What the subscriber reports: changes, and whether notifications can be relied on. */
    public interface Listener {
        void changed(Change change);

        void subscribed();

        void unsubscribed();
    }

    private final RedisConfig config;
    private final List<Listener> listeners;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile JedisPubSub current;

    public ChangeSubscriber(RedisConfig config, List<Listener> listeners) {
        this.config = config;
        this.listeners = List.copyOf(listeners);
        this.thread = Thread.ofPlatform().daemon().name("change-subscriber").unstarted(this::run);
    }

    public ChangeSubscriber start() {
        thread.start();
        return this;
    }

    private void run() {
        long backoffMillis = 100;
        while (running) {
            JedisPubSub pubSub = new Handler();
            current = pubSub;
            try (Jedis jedis = new Jedis(new HostAndPort(config.host(), config.port()),
                    RedisClients.clientConfig(config, Duration.ZERO, "flagsync-changes"))) {
                jedis.subscribe(pubSub, RedisKeys.CHANGES_CHANNEL);
                backoffMillis = 100;
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("change subscription lost, retrying in {} ms: {}", backoffMillis, e.toString());
                }
            }
            each(Listener::unsubscribed);
            if (running && sleep(backoffMillis)) {
                backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
            }
        }
        stopped.countDown();
    }

    /** Sleeps for the backoff; false when interrupted, which only happens on close. */
    private boolean sleep(long millis) {
        try {
            return !stopped.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return false;
        }
    }

    private void each(Consumer<Listener> action) {
        for (Listener listener : listeners) {
            try {
                action.accept(listener);
            } catch (RuntimeException e) {
                LOG.error("change listener {} failed", listener, e);
            }
        }
    }

    private final class Handler extends JedisPubSub {
        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            LOG.info("subscribed to {}", channel);
            each(Listener::subscribed);
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
    }

    @Override
    public void close() {
        running = false;
        JedisPubSub pubSub = current;
        if (pubSub != null && pubSub.isSubscribed()) {
            pubSub.unsubscribe();
        }
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
