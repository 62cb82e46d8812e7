package dev.flagsync.api.ofrep;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The outcome of evaluating one flag for one context, shaped as OFREP's evaluationSuccess or
 * evaluationFailure so that it serialises directly into a response or a bulk entry.
 */
public sealed interface Evaluation permits Evaluation.Resolved, Evaluation.Failed {

    /** Variant names: a flagsync flag is boolean, so its two variants are "on" and "off". */
    String ON = "on";
    String OFF = "off";

    String key();

    /** A value was resolved; {@code metadata} is null (left out) inside bulk answers. */
    @JsonPropertyOrder({"key", "reason", "variant", "value", "metadata"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Resolved(String key, Reason reason, String variant, boolean value, FlagSetMetadata metadata)
            implements Evaluation {

        static Resolved of(String key, boolean value, Reason reason) {
            return new Resolved(key, reason, value ? ON : OFF, value, null);
        }

        Resolved withMetadata(FlagSetMetadata metadata) {
            return new Resolved(key, reason, variant, value, metadata);
        }
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
