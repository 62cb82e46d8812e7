package dev.flagsync.api.changes;

import dev.flagsync.shared.cache.RedisClients;
import dev.flagsync.shared.cache.RedisKeys;
import dev.flagsync.shared.config.RedisConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Listens on {@code feature_flags:changes} and tells its listeners. Pub/sub delivers at most
 * once, so whenever the subscription is down the listener is told the memory tier is suspect,
 * and on every (re)subscription that it may trust it again after dropping everything. A
 * half-open connection never fails by itself, so the subscription is pinged and dropped when
 * its pongs stop.
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
    private final Duration pingInterval;
    private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("change-subscriber-ping").factory());
    private volatile boolean running = true;
    private volatile ChangeHandler current;
    private volatile Jedis connection;

    public ChangeSubscriber(RedisConfig config, List<Listener> listeners) {
        this(config, listeners, Duration.ofSeconds(10));
    }

    /** @param pingInterval how often the subscription is pinged; three missed pongs drop it */
    public ChangeSubscriber(RedisConfig config, List<Listener> listeners, Duration pingInterval) {
        this.config = config;
        this.listeners = List.copyOf(listeners);
        this.pingInterval = pingInterval;
        this.thread = Thread.ofPlatform().daemon().name("change-subscriber").unstarted(this::run);
    }

    public ChangeSubscriber start() {
        thread.start();
        pinger.scheduleAtFixedRate(this::checkAlive, pingInterval.toMillis(), pingInterval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void checkAlive() {
        ChangeHandler pubSub = current;
        Jedis jedis = connection;
        if (pubSub == null || jedis == null || !pubSub.isSubscribed()) {
            return;
        }
        if (pubSub.nanosSinceLastPong() > 3 * pingInterval.toNanos()) {
            LOG.warn("no answer on the change subscription for {} ms, reconnecting",
                    pubSub.nanosSinceLastPong() / 1_000_000);
            jedis.disconnect(); // the blocked subscribe() fails, and run() reconnects
            return;
        }
        try {
            pubSub.ping();
        } catch (RuntimeException e) {
            LOG.debug("ping on the change subscription failed: {}", e.toString());
        }
    }

    private void run() {
        long backoffMillis = 100;
        while (running) {
            ChangeHandler pubSub = new ChangeHandler(listeners);
            current = pubSub;
            try (Jedis jedis = new Jedis(new HostAndPort(config.host(), config.port()),
                    RedisClients.clientConfig(config, Duration.ZERO, "flagsync-changes"))) {
                connection = jedis;
                jedis.subscribe(pubSub, RedisKeys.CHANGES_CHANNEL);
                backoffMillis = 100;
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("change subscription lost, retrying in {} ms: {}", backoffMillis, e.toString());
                }
            }
            pubSub.each(Listener::unsubscribed);
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

    @Override
    public void close() {
        running = false;
        pinger.shutdownNow();
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
