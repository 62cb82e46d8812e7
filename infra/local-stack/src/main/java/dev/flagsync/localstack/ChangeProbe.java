package dev.flagsync.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows, before bin/run-local says it is running, that a change committed now reaches a reader
 * now: the README's demo (read, UPDATE, read again) on a flag of its own in the environment
 * {@value #ENVIRONMENT}, through the whole path: PostgreSQL, capture, Kafka, sync, Redis and the
 * API's change notice. Each process's readiness says it is up; only a change that arrives says
 * they work together. The flag is deleted at the end; the environment's version row stays, as
 * versions only ever rise.
 */
final class ChangeProbe {

    static final String ENVIRONMENT = "run-local-check";
    static final String FLAG = "change-reaches-readers";
    /** A change slower than this may have come with the capture's first snapshot, not its stream: try another. */
    private static final Duration AT_ONCE = Duration.ofSeconds(1);
    private static final Duration CLEAN_UP = Duration.ofSeconds(10);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final Logger LOG = LoggerFactory.getLogger(ChangeProbe.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final Postgres postgres;
    private final URI snapshot;

    ChangeProbe(Postgres postgres, int apiPort) {
        this.postgres = postgres;
        this.snapshot = URI.create("http://127.0.0.1:" + apiPort + "/api/v1/environments/" + ENVIRONMENT + "/flags");
    }

    /**
     * Returns how long the last change took from its commit to the API. Changes are tried until
     * one arrives within {@link #AT_ONCE} or the timeout passes; fails if one never arrives.
     */
    Duration run(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password())) {
            // The first read puts this version into the API's memory and Redis, as the README's first curl does.
            awaitServed(write(db, "INSERT INTO feature_flags (environment, flag_key, enabled, description)"
                    + " VALUES (?, ?, false, 'bin/run-local checks with this flag that changes reach the API')"
                    + " ON CONFLICT (environment, flag_key) DO NOTHING"), deadline);
            Duration took;
            do {
                long version = write(db, "UPDATE feature_flags SET enabled = NOT enabled WHERE environment = ? AND flag_key = ?");
                long committed = System.nanoTime();
                awaitServed(version, deadline);
                took = Duration.ofNanos(System.nanoTime() - committed);
                if (took.compareTo(AT_ONCE) > 0) {
                    LOG.info("a change took {} ms to reach the API (the worker may have been taking its first snapshot);"
                            + " trying another", took.toMillis());
                }
            } while (took.compareTo(AT_ONCE) > 0 && System.nanoTime() < deadline);
            // Given its own time: the loop may have used up the deadline on slow changes that did arrive.
            awaitServed(write(db, "DELETE FROM feature_flags WHERE environment = ? AND flag_key = ?"),
                    System.nanoTime() + CLEAN_UP.toNanos());
            return took;
        } catch (SQLException e) {
            throw new ServerException("the check that a change reaches the API could not write to PostgreSQL: "
                    + e.getMessage(), e);
        }
    }

    /** Runs one statement on the probe's flag and returns the environment's version after it. */
    private static long write(Connection db, String sql) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, ENVIRONMENT);
            statement.setString(2, FLAG);
            statement.executeUpdate();
        }
        try (PreparedStatement query = db.prepareStatement("SELECT version FROM flag_environment_versions WHERE environment = ?")) {
            query.setString(1, ENVIRONMENT);
            try (ResultSet result = query.executeQuery()) {
                return result.next() ? result.getLong(1) : 0;
            }
        }
    }

    private void awaitServed(long version, long deadline) {
        OptionalLong served = OptionalLong.empty();
        while (System.nanoTime() - deadline < 0) {
            served = servedVersion();
            if (served.isPresent() && served.getAsLong() >= version) {
                return;
            }
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.currentThread().isInterrupted()) {
                throw new ServerException("interrupted while checking that a change reaches the API");
            }
        }
        throw new ServerException("a change committed to PostgreSQL (" + ENVIRONMENT + " version " + version
                + ") did not reach the API in time; it still serves "
                + (served.isPresent() ? "version " + served.getAsLong() : "nothing") + " (see the worker's log above)");
    }

    /** The version in the API's ETag, empty while it does not answer 200. */
    private OptionalLong servedVersion() {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(snapshot).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            String etag = response.headers().firstValue("ETag").orElse("");
            if (response.statusCode() != 200 || !etag.matches("(W/)?\"\\d+\"")) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Long.parseLong(etag.replaceAll("\\D", "")));
        } catch (IOException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }
}
