package dev.flagsync.worker.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.FlagNames;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Reads Debezium change envelopes of feature_flags and of flag_segments, with or without Kafka
 * Connect's {@code schema}/{@code payload} wrapper, and says which environments they touch: both
 * tables name the environment in the row's {@code environment} column, and a truncate of either
 * touches every environment.
 */
public final class ChangeEvents {

    private static final ObjectMapper MAPPER = FlagJson.mapper();

    private ChangeEvents() {
    }

    /** Empty for a tombstone (null value); throws for anything that is not a change of a row with an environment. */
    public static Optional<AffectedEnvironments> affectedEnvironments(String value) throws InvalidChangeException {
        if (value == null) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(value);
        } catch (JsonProcessingException e) {
            throw new InvalidChangeException("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || root.isNull()) {
            return Optional.empty();
        }
        if (root.isObject() && root.has("payload") && root.has("schema")) {
            root = root.get("payload");
            if (root.isNull()) {
                return Optional.empty();
            }
        }
        if (!root.isObject()) {
            throw new InvalidChangeException("not a JSON object");
        }
        return Optional.of(read(root));
    }

    private static AffectedEnvironments read(JsonNode envelope) throws InvalidChangeException {
        JsonNode op = envelope.get("op");
        if (op == null || !op.isTextual()) {
            throw new InvalidChangeException("no \"op\" field: not a Debezium change envelope");
        }
        long commitMillis = envelope.path("source").path("ts_ms").asLong(-1);
        // A snapshot read (r) names the snapshot's own transaction, which may still be open: its rows were committed before.
        long transaction = op.textValue().equals("r") ? -1 : transactionId(envelope.path("source").path("txId"));
        switch (op.textValue()) {
            case "t":
                return AffectedEnvironments.all(commitMillis, transaction);
            case "c", "u", "d", "r":
                Set<String> environments = new LinkedHashSet<>();
                addEnvironment(envelope, "before", environments);
                addEnvironment(envelope, "after", environments);
                if (environments.isEmpty()) {
                    throw new InvalidChangeException("op \"" + op.textValue() + "\" names no environment in before or after");
                }
                return new AffectedEnvironments(environments, false, commitMillis, transaction);
            default:
                throw new InvalidChangeException("unknown op \"" + abbreviate(op.textValue()) + "\"");
        }
    }

    private static long transactionId(JsonNode txId) {
        return txId.canConvertToLong() && txId.asLong() > 0 ? txId.asLong() : -1;
    }

    private static void addEnvironment(JsonNode envelope, String image, Set<String> into) throws InvalidChangeException {
        JsonNode row = envelope.get(image);
        if (row == null || row.isNull()) {
            return;
        }
        JsonNode environment = row.get("environment");
        if (environment == null || !environment.isTextual()) {
            throw new InvalidChangeException("\"" + image + "\" has no text field \"environment\"");
        }
        if (!FlagNames.isEnvironment(environment.textValue())) {
            throw new InvalidChangeException("\"" + image + ".environment\" is not a valid environment name: \""
                    + abbreviate(environment.textValue()) + "\"");
        }
        into.add(environment.textValue());
    }

    private static String abbreviate(String value) {
        return value.length() > 80 ? value.substring(0, 80) + "..." : value;
    }
}
