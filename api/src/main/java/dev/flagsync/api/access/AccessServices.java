package dev.flagsync.api.access;

import dev.flagsync.api.audit.JooqAuditLog;
import dev.flagsync.shared.lifecycle.Loop;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import javax.sql.DataSource;

/** Access control as the API runs it: the token registry kept fresh from PostgreSQL, limits, the audit log. */
public final class AccessServices implements AutoCloseable {

    /** How often each instance polls the token version; a token change takes effect within about this. */
    public static final Duration TOKEN_REFRESH_INTERVAL = Duration.ofMillis(250);

    private final AccessControl control;
    private final TokenStore tokens;
    private final JooqAuditLog audit;
    private final TokenRefresher refresher;

    private AccessServices(AccessControl control, TokenStore tokens, JooqAuditLog audit, TokenRefresher refresher) {
        this.control = control;
        this.tokens = tokens;
        this.audit = audit;
        this.refresher = refresher;
    }

    public static AccessServices start(AccessConfig config, List<String> adminTokens, List<String> readTokens,
                                       DataSource dataSource, MeterRegistry metrics) {
        TokenRegistry registry = TokenRegistry.withBootstrap(adminTokens, readTokens);
        TokenStore tokens = new JooqTokenStore(dataSource);
        AccessControl control = new AccessControl(registry, new RateLimiter(config.rateLimits(), metrics),
                ClientAddresses.trusting(config.trustedProxies()), config.readMode(), InstantSource.system());
        TokenRefresher refresher = new TokenRefresher(tokens, registry, TOKEN_REFRESH_INTERVAL).start();
        control.refreshTokensWith(refresher::refreshNow);
        Gauge.builder("flagsync.tokens.loaded", registry, TokenRegistry::storedCount)
                .description("Active tokens from PostgreSQL held by this instance (bootstrap tokens not counted)")
                .register(metrics);
        Gauge.builder("flagsync.tokens.refresh.age", refresher,
                        r -> Duration.between(r.state().lastProgress(), Instant.now()).toMillis() / 1000.0)
                .description("Seconds since the token set was last confirmed current with PostgreSQL")
                .baseUnit("seconds")
                .register(metrics);
        return new AccessServices(control, tokens, new JooqAuditLog(dataSource), refresher);
    }

    public AccessControl control() {
        return control;
    }

    public TokenStore tokens() {
        return tokens;
    }

    public JooqAuditLog audit() {
        return audit;
    }

    /** The loop that keeps the token set fresh, for the API's health. */
    public Loop refreshLoop() {
        return refresher.loop();
    }

    @Override
    public void close() {
        refresher.close();
    }
}
