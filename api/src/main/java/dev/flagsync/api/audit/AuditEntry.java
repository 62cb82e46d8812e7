package dev.flagsync.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One recorded change: contract section 7's entry, plus its table and its position in the log. */
public record AuditEntry(long id, Instant at, long txId, String table, String environment, String key, String operation,
                         JsonNode before, JsonNode after, JsonNode actor) {
}
