package dev.flagsync.api.changes;

import dev.flagsync.shared.cache.RedisClients;
import dev.flagsync.shared.cache.RedisKeys;
import dev.flagsync.shared.config.RedisConfig;
import dev.flagsync.shared.lifecycle.BackoffPolicy;
import dev.flagsync.shared.lifecycle.Loop;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Listens on {@code feature_flags:changes} and tells its listener. Pub/sub delivers at most once,
 * so whenever the subscription is down the listener is told the memory tier is suspect, and on
 * every (re)subscription that it may trust it again after dropping everything.
 *
 * <p>Two loops: one subscribes and blocks until the subscription is lost; its backoff is reset by
 * every good connection, so a lost connection is retried after 100 ms, not after whatever the
 * backoff had grown to during an outage. The other pings, because
 * a half-open connection never fails by itself: three intervals without a pong drop it.
 */
public final class ChangeSubscriber implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeSubscriber.class);
    private static final BackoffPolicy BACKOFF = BackoffPolicy.exponential(Duration.ofMillis(100), Duration.ofSeconds(2));

    private final RedisConfig config;
    private final ChangeListener listener;
    private final Duration pingInterval;
    private final Loop subscription;
    private final Loop pinger;
    private volatile ChangeHandler current;
    private volatile Jedis connection;
    private volatile boolean subscribed;

    public ChangeSubscriber(RedisConfig config, ChangeListener listener) {
        this(config, listener, Duration.ofSeconds(10));
    }

    /** @param pingInterval how often the subscription is pinged; three missed pongs drop it */
    public ChangeSubscriber(RedisConfig config, ChangeListener listener, Duration pingInterval) {
        this.config = config;
        this.listener = listener;
        this.pingInterval = pingInterval;
        this.subscription = Loop.named("change-subscriber").backoff(BACKOFF).onStop(this::disconnect)
                .build(this::subscribeUntilLost);
        // The ping step never blocks for long, so not stepping for many intervals means it is stuck.
        this.pinger = Loop.named("change-subscriber-ping")
                .stallAfter(pingInterval.multipliedBy(3).plusSeconds(5), () -> true)
                .build(this::checkAlive);
    }

    public ChangeSubscriber start() {
        subscription.start();
        pinger.start();
        return this;
    }

    /** True while the server has confirmed the subscription and it has not been lost since. */
    public boolean isSubscribed() {
        return subscribed;
    }

    public List<Loop> loops() {
        return List.of(subscription, pinger);
    }

    private Duration subscribeUntilLost(Loop loop) {
        ChangeHandler handler = new ChangeHandler(listener, () -> {
            subscribed = true;
            loop.progress(); // a good connection: the next loss is retried after the shortest delay
        });
        current = handler;
        try (Jedis jedis = new Jedis(new HostAndPort(config.host(), config.port()),
                RedisClients.clientConfig(config, Duration.ZERO, "flagsync-changes"))) {
            connection = jedis;
            if (loop.stopping()) {
                return Duration.ZERO; // close() raced with the connect and found no connection to drop
            }
            jedis.subscribe(handler, RedisKeys.CHANGES_CHANNEL);
            return Duration.ZERO; // unsubscribed without an error: subscribe again
        } finally {
            connection = null;
            subscribed = false;
            listener.unsubscribed();
        }
    }

    private Duration checkAlive(Loop loop) {
        loop.progress();
        ChangeHandler handler = current;
        Jedis jedis = connection;
        if (handler == null || jedis == null || !handler.isSubscribed()) {
            return pingInterval;
        }
        if (handler.nanosSinceLastPong() > 3 * pingInterval.toNanos()) {
            LOG.warn("no answer on the change subscription for {} ms, reconnecting", handler.nanosSinceLastPong() / 1_000_000);
            jedis.disconnect(); // the blocked subscribe() fails, and the subscription loop reconnects
            return pingInterval;
        }
        try {
            handler.ping();
        } catch (JedisException e) {
            LOG.debug("ping on the change subscription failed: {}", e.toString());
        }
        return pingInterval;
    }

    /** Wakes a subscribe() blocked on the socket, so close() need not wait for it. */
    private void disconnect() {
        Jedis jedis = connection;
        if (jedis != null) {
            jedis.disconnect();
        }
    }

    @Override
    public void close() {
        pinger.close();
        subscription.close();
    }

    @Override
    public String toString() {
        return "ChangeSubscriber[" + (subscribed ? "subscribed" : "not subscribed") + "]";
    }
}
