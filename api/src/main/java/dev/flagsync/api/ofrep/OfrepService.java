package dev.flagsync.api.ofrep;

import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.FlagNames;
import dev.flagsync.shared.flag.Snapshot;
import java.util.Optional;

/**
 * OFREP 0.3.0 evaluation over a snapshot the caller has already read: parses the request
 * body, evaluates and shapes the answer. Knows nothing of HTTP frameworks or data sources.
 */
public final class OfrepService {

    /** {@code POST /ofrep/v1/evaluate/flags/{key}}. */
    public OfrepResponse evaluate(Snapshot snapshot, String flagKey, byte[] body) {
        EvaluationContext context;
        try {
            context = EvaluationContext.fromRequestBody(body);
        } catch (OfrepException e) {
            return OfrepResponse.failure(flagKey, e.errorCode(), e.getMessage());
        }
        // A key no flag can have is simply not found: OFREP has no "malformed key" code.
        Optional<Flag> flag = FlagNames.isKey(flagKey) ? snapshot.flag(flagKey) : Optional.empty();
        if (flag.isEmpty()) {
            return OfrepResponse.failure(flagKey, ErrorCode.FLAG_NOT_FOUND,
                    "no flag with this key in environment " + snapshot.environment());
        }
        return switch (Evaluator.evaluate(flag.get(), context)) {
            case Evaluation.Resolved resolved -> OfrepResponse.ok(resolved.withMetadata(metadata(snapshot)));
            case Evaluation.Failed failed -> new OfrepResponse(failed.errorCode().httpStatus(), failed, null);
        };
    }

    /**
     * {@code POST /ofrep/v1/evaluate/flags}: 304 when {@code ifNoneMatch} (may be null) names the
     * current ETag, decided before any flag is evaluated; else 200 with every flag and the ETag.
     */
    public OfrepResponse evaluateAll(Snapshot snapshot, byte[] body, String ifNoneMatch) {
        EvaluationContext context;
        try {
            context = EvaluationContext.fromRequestBody(body);
        } catch (OfrepException e) {
            return OfrepResponse.bulkFailure(e.errorCode(), e.getMessage());
        }
        String etag = BulkEtag.of(snapshot.environment(), snapshot.version(), context);
        if (BulkEtag.matches(ifNoneMatch, etag)) {
            return OfrepResponse.notModified(etag);
        }
        var flags = snapshot.flags().stream().map(flag -> Evaluator.evaluate(flag, context)).toList();
        return new OfrepResponse(200, new OfrepResponse.BulkEvaluation(flags, metadata(snapshot)), etag);
    }

    /**
     * The ETag a bulk evaluation at this version would carry, for a handler that knows the
     * version before it has the snapshot; empty when the body would be rejected anyway.
     */
    public Optional<String> bulkEtag(long snapshotVersion, String environment, byte[] body) {
        try {
            return Optional.of(BulkEtag.of(environment, snapshotVersion, EvaluationContext.fromRequestBody(body)));
        } catch (OfrepException e) {
            return Optional.empty();
        }
    }

    private static Evaluation.FlagSetMetadata metadata(Snapshot snapshot) {
        return new Evaluation.FlagSetMetadata(snapshot.environment(), snapshot.version());
    }
}
