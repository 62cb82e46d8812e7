package dev.flagsync.api.access;

import dev.flagsync.shared.lifecycle.BackoffPolicy;
import dev.flagsync.shared.lifecycle.Loop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the registry's tokens in step with PostgreSQL: every {@code interval} it reads the one-row
 * token version (one cheap query), and reloads the tokens when it moved. A token created or
 * revoked by any writer (the API on any instance, or psql) so takes effect here within about
 * one interval. While PostgreSQL is down the last loaded set stays in force.
 *
 * <p>{@link #refreshNow()} does the same check at once, for a request whose token is unknown: a
 * token created a moment ago on another instance (or in psql) is accepted on its first request
 * rather than refused with a 401, which stops Unleash's Node SDK for good. Such checks are spaced
 * at least {@link #ON_DEMAND_SPACING} apart for the whole instance and shared by the requests
 * that wait for them (guessed tokens cost at most one version query per spacing, and are slowed by
 * up to that much), and skipped while the poll is backing off (PostgreSQL down: a check would only
 * wait for the connection timeout).
 */
public final class TokenRefresher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TokenRefresher.class);
    /** The least time between two on-demand checks. */
    static final Duration ON_DEMAND_SPACING = Duration.ofMillis(25);

    private final TokenStore store;
    private final TokenRegistry registry;
    private final Duration interval;
    private long seen = Long.MIN_VALUE;
    /** When the latest check began (System.nanoTime()); read and written under this object's lock. */
    private long checkedNanos = System.nanoTime() - ON_DEMAND_SPACING.toNanos();
    private Loop loop;

    public TokenRefresher(TokenStore store, TokenRegistry registry, Duration interval) {
        this.store = store;
        this.registry = registry;
        this.interval = interval;
    }

    public TokenRefresher start() {
        loop = Loop.named("token-refresh")
                .backoff(BackoffPolicy.exponential(interval, Duration.ofSeconds(5)))
                .start(this::refresh);
        return this;
    }

    private Duration refresh(Loop loop) {
        check();
        loop.progress();
        return interval;
    }

    /**
     * Makes sure the token version was checked after this call began (by this call, another
     * caller's or the poll), so a token committed before it is in the registry. Callers that
     * arrive together share one check; checks start at least {@link #ON_DEMAND_SPACING} apart, so
     * a caller may wait up to that long. Skipped while the poll is backing off. Never
     * throws: a failed check leaves the set as it was and the poll carries on.
     */
    public void refreshNow() {
        Loop current = loop;
        if (current == null || current.state().status() != Loop.Status.RUNNING) {
            return;
        }
        long arrived = System.nanoTime();
        synchronized (this) {
            if (checkedNanos - arrived > 0) {
                return; // a check that began after we arrived has finished: it saw what we need
            }
            long wait = checkedNanos + ON_DEMAND_SPACING.toNanos() - System.nanoTime();
            try {
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // holds the lock: callers arriving meanwhile share this check
                }
                check();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.debug("on-demand token check failed; the poll carries on", e);
            }
        }
    }

    /** Reads the version first: a change committed between the two reads is loaded on the next check. */
    private synchronized boolean check() {
        checkedNanos = System.nanoTime();
        long version = store.version();
        if (version == seen) {
            return false;
        }
        List<HashedToken> tokens = store.active();
        registry.replace(tokens);
        LOG.info("loaded {} active tokens at token version {}", tokens.size(), version);
        seen = version;
        return true;
    }

    public Loop.State state() {
        return loop.state();
    }

    public Loop loop() {
        return loop;
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }
}
