package dev.flagsync.api.access;

import dev.flagsync.shared.lifecycle.BackoffPolicy;
import dev.flagsync.shared.lifecycle.Loop;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the registry's tokens in step with PostgreSQL: every {@code interval} it reads the one-row
 * token version (one cheap query), and reloads the tokens when it moved. A token created or
 * revoked by any writer (the API on any instance, or psql) so takes effect here within about
 * one interval. While PostgreSQL is down the last loaded set stays in force.
 */
public final class TokenRefresher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TokenRefresher.class);

    private final TokenStore store;
    private final TokenRegistry registry;
    private final Duration interval;
    private long seen = Long.MIN_VALUE;
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

    /** Reads the version first: a change committed between the two reads is loaded on the next poll. */
    private Duration refresh(Loop loop) {
        long version = store.version();
        if (version != seen) {
            List<HashedToken> tokens = store.active();
            registry.replace(tokens);
            LOG.info("loaded {} active tokens at token version {}", tokens.size(), version);
            seen = version;
        }
        loop.progress();
        return interval;
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
