package dev.flagsync.evaluator.condition;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * ISO-8601 instants as DATE_* constraints and {@code currentTime} carry them
 * ({@code 2022-01-29T13:00:00.000Z}, {@code 2022-01-22T13:00:00+02:00}). A date-time without an
 * offset, or a bare date, is read as UTC (JavaScript reads the former in the server's zone).
 */
public final class Dates {

    private Dates() {
    }

    /** The instant, or null when {@code text} is not an ISO-8601 date or date-time. */
    public static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String s = text.strip();
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return s.indexOf('T') >= 0
                        ? LocalDateTime.parse(s).toInstant(ZoneOffset.UTC)
                        : LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notLocal) {
                return null;
            }
        }
    }
}
