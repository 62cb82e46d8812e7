package dev.flagsync.api.ofrep;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Optional;

/**
 * What an OFREP endpoint answers: the HTTP status, a body ready for JSON (null for 304) and,
 * for bulk evaluations, the ETag. A handler only copies these onto the HTTP response.
 */
public record OfrepResponse(int status, Object body, String etag) {

    private static final byte[] NO_BODY = new byte[0];

    public static OfrepResponse ok(Object body) {
        return new OfrepResponse(200, body, null);
    }

    /** One flag could not be evaluated: OFREP's evaluationFailure with the code's status. */
    public static OfrepResponse failure(String flagKey, ErrorCode code, String details) {
        return new OfrepResponse(code.httpStatus(), new Evaluation.Failed(flagKey, code, details), null);
    }

    /** A bulk request was rejected as a whole: OFREP's bulkEvaluationFailure, no key. */
    public static OfrepResponse bulkFailure(ErrorCode code, String details) {
        return new OfrepResponse(code.httpStatus(), new BulkFailure(code, details), null);
    }

    /**
     * For a handler that cannot read the environment's flags at all. The 500 carries key and
     * errorCode besides errorDetails: the OpenFeature JS providers only accept an error body with both.
     */
    public static OfrepResponse generalError(String flagKey, String details) {
        return flagKey == null ? bulkFailure(ErrorCode.GENERAL, details) : failure(flagKey, ErrorCode.GENERAL, details);
    }

    public static OfrepResponse notModified(String etag) {
        return new OfrepResponse(304, null, etag);
    }

    public Optional<String> etagHeader() {
        return Optional.ofNullable(etag);
    }

    public byte[] json() {
        return body == null ? NO_BODY : OfrepJson.write(body);
    }

    /** OFREP's bulkEvaluationSuccess: every flag of the environment, resolved or failed, and where to hear of changes. */
    @JsonPropertyOrder({"flags", "eventStreams", "metadata"})
    public record BulkEvaluation(List<Evaluation> flags,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) List<?> eventStreams,
                                 Evaluation.FlagSetMetadata metadata) {
    }

    /** OFREP's bulkEvaluationFailure. */
    @JsonPropertyOrder({"errorCode", "errorDetails"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BulkFailure(ErrorCode errorCode, String errorDetails) {
    }
}
