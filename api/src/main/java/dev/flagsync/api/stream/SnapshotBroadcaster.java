package dev.flagsync.api.stream;

import dev.flagsync.api.changes.ChangeListener;
import dev.flagsync.api.read.FlagReader;
import dev.flagsync.api.read.NoSourceAvailableException;
import dev.flagsync.shared.cache.ChangeNotice;
import dev.flagsync.shared.flag.EncodedSnapshot;
import dev.flagsync.shared.lifecycle.Loop;
import dev.flagsync.shared.propagation.Stage;
import dev.flagsync.shared.propagation.StageTimers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes changes to SSE subscribers. On a change it reads the environment once (through the
 * reader, which the subscriber has told first, so the read is fresh), asks each stream format in
 * use for its frame once ({@link StreamFormat}: snapshots, OFREP refetch notices, Unleash deltas)
 * and hands the same bytes to every subscriber of that format without blocking: a connection that
 * cannot take them now keeps the newest frame for when it can ({@link Subscriber}), so one slow
 * client holds up no one and no thread waits on a socket. The subscribers are split into slices
 * of {@link #SLICE} written in parallel, one virtual thread per slice. Heartbeats come from a
 * loop of their own; the timer only ends streams at their lifetime.
 */
public final class SnapshotBroadcaster implements ChangeListener, Subscriber.Owner, AutoCloseable {

    /** Subscribers written by one thread in a row: large enough that a slice costs more than starting it. */
    static final int SLICE = 512;

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotBroadcaster.class);

    private final FlagReader reader;
    private final StreamSettings settings;
    private final StreamMetrics metrics;
    private final StageTimers stages;
    private final Map<String, Set<Subscriber>> byEnvironment = new ConcurrentHashMap<>();
    private final Map<Channel, Latest> latest = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
            Thread.ofPlatform().daemon().name("sse-timer").factory());
    private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
    private final Loop heartbeat;

    public SnapshotBroadcaster(FlagReader reader, StreamSettings settings, StreamMetrics metrics, StageTimers stages) {
        this.reader = reader;
        this.settings = settings;
        this.metrics = metrics;
        this.stages = stages;
        timer.setRemoveOnCancelPolicy(true);
        // The step only makes non-blocking writes, so many missed beats mean it is stuck.
        Duration stall = settings.heartbeat().multipliedBy(3).plusSeconds(10);
        this.heartbeat = Loop.named("sse-heartbeat").stallAfter(stall, () -> metrics.open() > 0).start(loop -> {
            heartbeats();
            loop.progress();
            return settings.heartbeat();
        });
    }

    public Loop heartbeatLoop() {
        return heartbeat;
    }

    /** Frames of one format for one environment. */
    private record Channel(StreamFormat format, String environment) {
    }

    /** The newest snapshot a channel has framed, kept as the base of the next delta, and its frame. */
    private record Latest(EncodedSnapshot snapshot, Frame frame) {
    }

    /** A stream of snapshots (contract section 4), for as long as the client is connected. */
    public void subscribe(String environment, OptionalLong lastEventId, StreamSink sink) {
        subscribe(StreamFormat.SNAPSHOTS, environment, lastEventId, sink, () -> true);
    }

    /**
     * Opens a stream: reads the current snapshot, registers the sink and sends the format's first
     * frame unless {@code lastEventId} is already the current version. Throws before anything is
     * written when the cap is reached or no source can answer. {@code allowed} is asked at every
     * heartbeat whether the client may still listen; the stream ends when it says no.
     */
    public void subscribe(StreamFormat format, String environment, OptionalLong lastEventId, StreamSink sink,
                          BooleanSupplier allowed) {
        if (!metrics.tryOpen(settings.maxConnections())) {
            throw new TooManyStreamsException(settings.maxConnections());
        }
        Subscriber subscriber = new Subscriber(environment, format, sink, allowed, this);
        try {
            // The channel's newest frame: a new client is sent it whole (Subscriber), so a
            // thousand clients connecting at one version share one formatted frame.
            Frame frame = advance(new Channel(format, environment), reader.read(environment).snapshot());
            // Registered before the first send, so a change racing with the connect is not lost;
            // versions only go forward, so whichever frame is older is skipped.
            byEnvironment.compute(environment, (env, subscribers) -> {
                Set<Subscriber> set = subscribers == null ? ConcurrentHashMap.newKeySet() : subscribers;
                set.add(subscriber);
                return set;
            });
            if (lastEventId.isPresent() && lastEventId.getAsLong() == frame.version()) {
                subscriber.alreadyHas(frame.version());
            }
            deliver(subscriber, frame);
        } catch (RuntimeException e) {
            gone(subscriber);
            throw e;
        }
        subscriber.expireWith(timer.schedule(() -> gone(subscriber),
                settings.jitteredLifetime().toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public void changed(ChangeNotice change) {
        if (byEnvironment.containsKey(change.environment())) {
            long told = System.nanoTime();
            writers.execute(() -> broadcast(change.environment(), told));
        }
    }

    /** Changes may have been published while the subscription was down: re-read all that are watched. */
    @Override
    public void subscribed() {
        byEnvironment.keySet().forEach(environment -> writers.execute(() -> broadcast(environment, 0)));
    }

    @Override
    public void unsubscribed() {
        // Nothing to push until the subscription is back; subscribed() then catches up.
    }

    /** {@code toldAt}: when the change notice reached this instance (System.nanoTime), 0 for a catch-up. */
    private void broadcast(String environment, long toldAt) {
        EncodedSnapshot current;
        try {
            current = reader.read(environment).snapshot();
        } catch (NoSourceAvailableException e) {
            LOG.warn("cannot push {} to streams, no source can answer: {}", environment, e.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.error("cannot push {} to streams", environment, e);
            return;
        }
        if (toldAt != 0) {
            stages.record(Stage.NOTICE_TO_READ, System.nanoTime() - toldAt);
        }
        Subscriber[] subscribers = byEnvironment.getOrDefault(environment, Set.of()).toArray(Subscriber[]::new);
        Map<StreamFormat, Frame> frames = new HashMap<>();
        for (Subscriber subscriber : subscribers) {
            frames.computeIfAbsent(subscriber.format, format -> advance(new Channel(format, environment), current));
        }
        List<Future<?>> slices = new ArrayList<>();
        for (int from = SLICE; from < subscribers.length; from += SLICE) {
            int start = from;
            slices.add(writers.submit(() -> deliver(subscribers, start, frames)));
        }
        deliver(subscribers, 0, frames);
        for (Future<?> slice : slices) {
            try {
                slice.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.error("pushing {} to a slice of its streams failed", environment, e);
            }
        }
        if (toldAt != 0) {
            stages.record(Stage.NOTICE_TO_FRAMES_WRITTEN, System.nanoTime() - toldAt);
        }
    }

    private void deliver(Subscriber[] subscribers, int from, Map<StreamFormat, Frame> frames) {
        for (int i = from; i < Math.min(subscribers.length, from + SLICE); i++) {
            deliver(subscribers[i], frames.get(subscribers[i].format));
        }
    }

    /**
     * The channel's frame for this snapshot, formatted only once per version and never older
     * than one already framed; a delta is taken from the snapshot framed before.
     */
    private Frame advance(Channel channel, EncodedSnapshot snapshot) {
        return latest.compute(channel, (key, known) -> {
            if (known != null && known.snapshot().version() >= snapshot.version()) {
                return known;
            }
            return new Latest(snapshot, channel.format().frame(known == null ? null : known.snapshot(), snapshot));
        }).frame();
    }

    private void deliver(Subscriber subscriber, Frame frame) {
        switch (subscriber.send(frame)) {
            case SENT -> metrics.sent();
            case QUEUED, SKIPPED -> { }
            case GONE -> gone(subscriber);
        }
    }

    private void heartbeats() {
        byEnvironment.values().forEach(subscribers -> subscribers.forEach(subscriber -> {
            if (!subscriber.heartbeat()) {
                gone(subscriber);
            }
        }));
    }

    @Override
    public void sent() {
        metrics.sent();
    }

    /**
     * Removes a stream: its client went away, a write failed, it may no longer listen, or it
     * reached its lifetime (closing the response makes the client reconnect). Never called with
     * the subscriber's lock held.
     */
    @Override
    public void gone(Subscriber subscriber) {
        // Atomic per environment with the add in subscribe(), so no joiner lands in a dropped set.
        Set<Subscriber> left = byEnvironment.computeIfPresent(subscriber.environment, (env, subscribers) -> {
            subscribers.remove(subscriber);
            return subscribers.isEmpty() ? null : subscribers;
        });
        if (left == null) {
            latest.keySet().removeIf(channel -> channel.environment().equals(subscriber.environment));
        }
        if (subscriber.close()) {
            metrics.closed();
        }
    }

    @Override
    public void close() {
        heartbeat.close();
        timer.shutdownNow();
        byEnvironment.values().forEach(subscribers -> subscribers.forEach(this::gone));
        writers.shutdownNow();
    }
}
