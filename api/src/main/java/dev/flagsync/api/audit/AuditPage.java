package dev.flagsync.api.audit;

import java.util.List;

/** Entries newest first; {@code next} is the {@code before} of the following page, null on the last. */
public record AuditPage(List<AuditEntry> entries, String next) {
}
