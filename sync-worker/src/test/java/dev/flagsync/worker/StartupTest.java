package dev.flagsync.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import dev.flagsync.shared.lifecycle.BackoffPolicy;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StartupTest {

    private final BackoffPolicy backoff = BackoffPolicy.exponential(Duration.ofMillis(1), Duration.ofMillis(1));
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicInteger attempts = new AtomicInteger();

    @Test
    void retriesWhilePostgresOrKafkaIsUnreachableThenReturnsTheStartedWorker() throws Exception {
        Exception[] failures = {
            new RuntimeException("Unable to obtain connection", new SQLException("Connection refused", "08001")),
            new IllegalStateException("cannot create Kafka topic", new org.apache.kafka.common.errors.TimeoutException("t")),
            new IllegalStateException("Kafka did not answer within 30 s", new TimeoutException()),
            new RuntimeException(new ConnectException("Connection refused")),
            // The Flyway migration when no connection came within the pool's timeout (busy machine).
            new RuntimeException("Unable to obtain connection from database", new SQLTransientConnectionException(
                    "flagsync-worker - Connection is not available, request timed out after 2023ms"))};

        String started = Startup.untilReachable(() -> {
            int attempt = attempts.getAndIncrement();
            if (attempt < failures.length) {
                throw failures[attempt];
            }
            return "worker";
        }, backoff, stop);

        assertThat(started).isEqualTo("worker");
        assertThat(attempts).hasValue(failures.length + 1);
    }

    @Test
    void otherFailuresStopTheStartAtOnce() {
        SQLException wrongPassword = new SQLException("password authentication failed", "28P01");

        assertThatThrownBy(() -> Startup.untilReachable(() -> {
            attempts.incrementAndGet();
            throw new RuntimeException(wrongPassword);
        }, backoff, stop)).hasCause(wrongPassword);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aPoolTimeoutCausedByAWrongPasswordStopsTheStartAtOnce() {
        SQLException wrongPassword = new SQLException("password authentication failed", "28P01");
        SQLTransientConnectionException timedOut = new SQLTransientConnectionException(
                "flagsync-worker - Connection is not available, request timed out after 2000ms", "28P01", wrongPassword);

        assertThatThrownBy(() -> Startup.untilReachable(() -> {
            attempts.incrementAndGet();
            throw new RuntimeException(timedOut);
        }, backoff, stop)).hasCause(timedOut);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void shutdownStopsTheRetries() {
        stop.countDown();

        assertThatThrownBy(() -> Startup.untilReachable(() -> {
            attempts.incrementAndGet();
            throw new ConnectException("Connection refused");
        }, backoff, stop)).isInstanceOf(InterruptedException.class);
        assertThat(attempts).hasValue(1);
    }
}
