package dev.flagsync.api.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Token buckets (Bucket4j) per token, per client address, and per client address for failed
 * authentications, in one Caffeine cache with a size bound and idle expiry, so memory stays
 * bounded whatever keys clients make up. Buckets are per instance, not shared.
 */
public final class RateLimiter {

    /** Which budget a request was counted against; the tag of the limited-requests metric. */
    public enum Kind {
        TOKEN("token"), ANONYMOUS("anonymous"), AUTH_FAILURE("auth_failure");

        final String tag;

        Kind(String tag) {
            this.tag = tag;
        }
    }

    private final Map<Kind, Bandwidth> limits = new EnumMap<>(Kind.class);
    private final Map<Kind, Counter> limited = new EnumMap<>(Kind.class);
    private final Cache<String, Bucket> buckets;

    public RateLimiter(RateLimits config, MeterRegistry metrics) {
        if (config.tokenPerSecond() > 0) {
            limits.put(Kind.TOKEN, perSecond(config.tokenPerSecond(), config.tokenBurst()));
        }
        if (config.anonymousPerSecond() > 0) {
            limits.put(Kind.ANONYMOUS, perSecond(config.anonymousPerSecond(), config.anonymousBurst()));
        }
        if (config.authFailuresPerMinute() > 0) {
            limits.put(Kind.AUTH_FAILURE, Bandwidth.builder().capacity(config.authFailuresPerMinute())
                    .refillGreedy(config.authFailuresPerMinute(), Duration.ofMinutes(1)).build());
        }
        // A bucket idle until it is full again can be forgotten without changing anything.
        this.buckets = Caffeine.newBuilder()
                .maximumSize(config.maxBuckets())
                .expireAfterAccess(refillTime(config))
                .build();
        for (Kind kind : Kind.values()) {
            limited.put(kind, Counter.builder("flagsync.rate.limited")
                    .description("Requests answered 429 by the rate limiter, by the budget they exceeded")
                    .tag("limit", kind.tag).register(metrics));
        }
        Gauge.builder("flagsync.rate.buckets", buckets, Cache::estimatedSize)
                .description("Rate-limit buckets held in memory").register(metrics);
    }

    /** The longest time any budget needs to refill from empty, at least one minute. */
    static Duration refillTime(RateLimits config) {
        long seconds = 60;
        if (config.tokenPerSecond() > 0) {
            seconds = Math.max(seconds, config.tokenBurst() / config.tokenPerSecond() + 1);
        }
        if (config.anonymousPerSecond() > 0) {
            seconds = Math.max(seconds, config.anonymousBurst() / config.anonymousPerSecond() + 1);
        }
        return Duration.ofSeconds(seconds);
    }

    private static Bandwidth perSecond(int rate, int burst) {
        return Bandwidth.builder().capacity(burst).refillGreedy(rate, Duration.ofSeconds(1)).build();
    }

    /** Takes one request from the key's budget; empty when allowed, else the seconds to wait. */
    public OptionalLong consume(Kind kind, String key) {
        Bucket bucket = bucket(kind, key);
        if (bucket == null) {
            return OptionalLong.empty();
        }
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return OptionalLong.empty();
        }
        limited.get(kind).increment();
        return OptionalLong.of(seconds(probe.getNanosToWaitForRefill()));
    }

    /** Whether the address may try a credential now (its failure budget is not spent); counts a refusal. */
    public OptionalLong checkAuthAttempt(String address) {
        Bucket bucket = bucket(Kind.AUTH_FAILURE, address);
        if (bucket == null) {
            return OptionalLong.empty();
        }
        EstimationProbe probe = bucket.estimateAbilityToConsume(1);
        if (probe.canBeConsumed()) {
            return OptionalLong.empty();
        }
        limited.get(Kind.AUTH_FAILURE).increment();
        return OptionalLong.of(seconds(probe.getNanosToWaitForRefill()));
    }

    /** Records a failed authentication from the address. */
    public void recordAuthFailure(String address) {
        Bucket bucket = bucket(Kind.AUTH_FAILURE, address);
        if (bucket != null) {
            bucket.tryConsume(1);
        }
    }

    private Bucket bucket(Kind kind, String key) {
        Bandwidth limit = limits.get(kind);
        if (limit == null) {
            return null;
        }
        return buckets.get(kind.tag + '|' + key, k -> Bucket.builder().addLimit(limit).build());
    }

    private static long seconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
