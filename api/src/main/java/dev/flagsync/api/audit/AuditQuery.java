package dev.flagsync.api.audit;

import java.time.Instant;

/**
 * One page of the audit log, newest first. {@code environment} null: every environment, and
 * changes that have none (tokens). {@code beforeId} is the previous page's {@code next};
 * {@code beforeTime} instead pages from a moment.
 */
public record AuditQuery(String environment, String key, Long beforeId, Instant beforeTime, int limit) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
}
