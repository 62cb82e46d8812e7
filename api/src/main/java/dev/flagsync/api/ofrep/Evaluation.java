package dev.flagsync.api.ofrep;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.evaluator.Reason;

/**
 * The outcome of evaluating one flag for one context, shaped as OFREP's evaluationSuccess or
 * evaluationFailure so that it serialises directly into a response or a bulk entry.
 */
public sealed interface Evaluation permits Evaluation.Resolved, Evaluation.Failed {

    /** Variant names of a flag without variants: it answers true or false. */
    String ON = "on";
    String OFF = "off";

    String key();

    /**
     * A value was resolved. {@code value} is a boolean for a flag without variants, the variant's
     * payload (a string, number or JSON value) for one with variants, and absent (null, left out)
     * when such a flag gives no variant: OFREP's way of saying "use your default".
     */
    @JsonPropertyOrder({"key", "reason", "variant", "value", "metadata"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Resolved(String key, Reason reason, String variant, JsonNode value, FlagSetMetadata metadata)
            implements Evaluation {
    }

    /** The flag could not be evaluated for this context. */
    @JsonPropertyOrder({"key", "errorCode", "errorDetails"})
    record Failed(String key, ErrorCode errorCode, String errorDetails) implements Evaluation {
    }

    /** Which environment and version an answer was computed from, for debugging and telemetry. */
    @JsonPropertyOrder({"environment", "version"})
    record FlagSetMetadata(String environment, long version) {
    }
}
