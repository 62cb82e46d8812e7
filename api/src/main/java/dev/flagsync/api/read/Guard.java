package dev.flagsync.api.read;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Circuit breakers around the two stores, so a dead store costs one fast rejection per
 * request instead of a timeout. Both breakers live in one registry for the metrics.
 */
public final class Guard {

    private final CircuitBreaker redis;
    private final CircuitBreaker database;
    private final CircuitBreakerRegistry registry;

    public Guard(Duration openFor) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(20)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .slowCallDurationThreshold(Duration.ofMillis(500))
                .slowCallRateThreshold(80)
                .waitDurationInOpenState(openFor)
                .permittedNumberOfCallsInHalfOpenState(2)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build();
        this.registry = CircuitBreakerRegistry.of(config);
        this.redis = registry.circuitBreaker("redis");
        this.database = registry.circuitBreaker("database");
    }

    public <T> T redis(Supplier<T> call) {
        return redis.executeSupplier(call);
    }

    public <T> T database(Supplier<T> call) {
        return database.executeSupplier(call);
    }

    public CircuitBreakerRegistry registry() {
        return registry;
    }
}
