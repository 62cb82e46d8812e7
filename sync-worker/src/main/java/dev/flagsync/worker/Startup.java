package dev.flagsync.worker;

import dev.flagsync.shared.lifecycle.BackoffPolicy;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the worker once PostgreSQL and Kafka answer, retrying with backoff and logging each
 * attempt, so the start order of a docker-compose stack does not matter. Any other failure
 * (wrong password, failed migration) still stops the process at once.
 */
final class Startup {

    private static final Logger LOG = LoggerFactory.getLogger(Startup.class);

    private Startup() {
    }

    /**
     * Calls {@code start} until it succeeds or fails for a reason other than an unreachable server,
     * waiting {@code backoff}'s delays between attempts; throws InterruptedException once {@code stop} is released.
     */
    static <T> T untilReachable(Callable<T> start, BackoffPolicy backoff, CountDownLatch stop) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return start.call();
            } catch (Exception e) {
                if (!isUnreachable(e)) {
                    throw e;
                }
                Duration delay = backoff.delay(attempt);
                LOG.warn("start attempt {} failed, a server is not reachable yet ({}); retrying in {}", attempt,
                        describe(e), delay);
                if (stop.getCount() == 0 || stop.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
                    throw new InterruptedException("stopped while waiting for PostgreSQL and Kafka");
                }
            }
        }
    }

    /** True when anything in the cause chain says a server could not be reached or did not answer. */
    static boolean isUnreachable(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof ConnectException || e instanceof NoRouteToHostException || e instanceof UnknownHostException
                    || e instanceof SocketTimeoutException || e instanceof TimeoutException
                    || e instanceof RetriableException) {
                return true;
            }
            // Hikari's pool timed out before any attempt to connect had failed (one with a cause
            // carries that cause's state, e.g. a wrong password, and is judged by it): PostgreSQL
            // is slow to accept, as on a busy machine (bin/chaos, load average 19).
            if (e instanceof SQLTransientConnectionException timedOut && timedOut.getSQLState() == null
                    && timedOut.getCause() == null) {
                return true;
            }
            // 08: connection exception; 57P03: the server is starting up.
            if (e instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().equals("57P03"))) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable failure) {
        StringBuilder chain = new StringBuilder(failure.toString());
        for (Throwable e = failure.getCause(); e != null && e != e.getCause(); e = e.getCause()) {
            chain.append(" <- ").append(e);
        }
        return chain.toString();
    }
}
