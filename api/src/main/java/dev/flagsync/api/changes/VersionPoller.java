package dev.flagsync.api.changes;

import dev.flagsync.shared.cache.ChangeNotice;
import dev.flagsync.shared.db.FlagStore;
import dev.flagsync.shared.lifecycle.BackoffPolicy;
import dev.flagsync.shared.lifecycle.Loop;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change subscription's stand-in while it is down (Redis restarting, a network cut): every
 * {@link #INTERVAL}, one query reads the versions of all environments this instance serves from
 * {@code flag_environment_versions}, and each newer one is told to the listener as if it had been
 * published, so memory copies are dropped and streams get the new snapshot. While the
 * subscription is up it only checks that it still is.
 */
public final class VersionPoller implements AutoCloseable {

    public static final Duration INTERVAL = Duration.ofMillis(250);

    private static final Logger LOG = LoggerFactory.getLogger(VersionPoller.class);
    private static final Duration STALL_AFTER = Duration.ofSeconds(30);

    private final FlagStore store;
    private final Supplier<Map<String, Long>> served;
    private final ChangeListener listener;
    private final BooleanSupplier subscribed;
    private final Duration interval;
    private final Counter polls;
    private final Map<String, Long> announced = new HashMap<>();
    private final Loop loop;
    private volatile boolean polling;

    /**
     * @param served     the environments this instance serves and the newest version it has of each
     * @param subscribed whether the change subscription is up (then nothing is polled)
     */
    public VersionPoller(FlagStore store, Supplier<Map<String, Long>> served, ChangeListener listener,
                         BooleanSupplier subscribed, MeterRegistry metrics, Duration interval) {
        this.store = store;
        this.served = served;
        this.listener = listener;
        this.subscribed = subscribed;
        this.interval = interval;
        this.polls = Counter.builder("flagsync.changes.polls")
                .description("Version queries made while the change subscription was down")
                .register(metrics);
        Gauge.builder("flagsync.changes.polling", () -> polling ? 1 : 0)
                .description("1 while the change subscription is down and PostgreSQL is polled for versions")
                .register(metrics);
        // A failing query backs off and is reported by readiness; only a step stuck while it has
        // polling to do (the queries time out after 10 s) counts as a stall.
        this.loop = Loop.named("version-poll")
                .backoff(BackoffPolicy.exponential(interval, Duration.ofSeconds(2)))
                .stallAfter(STALL_AFTER, this::pollingWithoutFailures)
                .build(this::step);
    }

    private boolean pollingWithoutFailures() {
        return polling && loop.state().status() == Loop.Status.RUNNING;
    }

    public VersionPoller start() {
        loop.start();
        return this;
    }

    public Loop loop() {
        return loop;
    }

    /** True while the subscription is down and versions are polled. */
    public boolean polling() {
        return polling;
    }

    private Duration step(Loop loop) {
        if (subscribed.getAsBoolean()) {
            if (polling) {
                LOG.info("change subscription is back: stopped polling PostgreSQL for versions");
                polling = false;
                announced.clear();
            }
            loop.progress();
            return interval;
        }
        if (!polling) {
            LOG.info("change subscription is down: polling PostgreSQL for versions every {} ms", interval.toMillis());
            polling = true;
        }
        Map<String, Long> known = served.get();
        if (!known.isEmpty()) {
            Map<String, Long> current = store.versions(known.keySet());
            polls.increment();
            current.forEach((environment, version) -> {
                long seen = Math.max(known.getOrDefault(environment, -1L), announced.getOrDefault(environment, -1L));
                if (version > seen) {
                    announced.put(environment, version);
                    LOG.debug("version {} of {} found by polling", version, environment);
                    listener.changed(new ChangeNotice(environment, version));
                }
            });
        }
        loop.progress();
        return interval;
    }

    @Override
    public void close() {
        loop.close();
    }
}
