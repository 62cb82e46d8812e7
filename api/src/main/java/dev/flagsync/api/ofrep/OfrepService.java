package dev.flagsync.api.ofrep;

import dev.flagsync.api.rules.RulesCache;
import dev.flagsync.api.rules.SnapshotRules;
import dev.flagsync.evaluator.Context;
import dev.flagsync.evaluator.Evaluator;
import dev.flagsync.evaluator.Host;
import dev.flagsync.shared.flag.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * OFREP 0.3.0 evaluation over a snapshot the caller has already read: parses the request
 * body, evaluates with the snapshot's rules (compiled once per version, {@link RulesCache}) and
 * shapes the answer ({@link OfrepAnswers}). Knows nothing of HTTP frameworks or data sources.
 */
public final class OfrepService {

    private final RulesCache rules;
    private final Evaluator evaluator;

    public OfrepService(RulesCache rules, Evaluator evaluator) {
        this.rules = rules;
        this.evaluator = evaluator;
    }

    /** With a cache of its own and the system clock and randomness, on a host called "localhost". */
    public OfrepService() {
        this(new RulesCache(), new Evaluator(Host.system("localhost")));
    }

    /** {@code POST /ofrep/v1/evaluate/flags/{key}}. */
    public OfrepResponse evaluate(Snapshot snapshot, String flagKey, byte[] body) {
        return evaluate(snapshot, flagKey, body, null);
    }

    /**
     * As {@link #evaluate(Snapshot, String, byte[])}; {@code clientAddress} (may be null) is the
     * context's {@code remoteAddress} when the context has none.
     */
    public OfrepResponse evaluate(Snapshot snapshot, String flagKey, byte[] body, String clientAddress) {
        EvaluationContext context;
        try {
            context = EvaluationContext.fromRequestBody(body).withRemoteAddress(clientAddress);
        } catch (OfrepException e) {
            return OfrepResponse.failure(flagKey, e.errorCode(), e.getMessage());
        }
        SnapshotRules compiled = rules.rules(snapshot);
        // A key no flag can have is simply not found too: OFREP has no "malformed key" code.
        if (flagKey == null || !compiled.rules().contains(flagKey)) {
            return OfrepResponse.failure(flagKey, ErrorCode.FLAG_NOT_FOUND,
                    "no flag with this key in environment " + snapshot.environment());
        }
        dev.flagsync.evaluator.Evaluation answer = evaluator.evaluate(compiled.rules(), flagKey, context.toUnleash());
        return switch (OfrepAnswers.of(compiled, answer, metadata(snapshot))) {
            case Evaluation.Resolved resolved -> OfrepResponse.ok(resolved);
            // Rules that cannot be read are the server's fault, not the request's: 500, whatever the code.
            case Evaluation.Failed failed -> new OfrepResponse(answer.errorCode() == dev.flagsync.evaluator.ErrorCode.UNREADABLE_RULES
                    ? 500 : failed.errorCode().httpStatus(), failed, null);
        };
    }

    /**
     * {@code POST /ofrep/v1/evaluate/flags}: 304 when {@code ifNoneMatch} (may be null) names the
     * current ETag, decided before any flag is evaluated; else 200 with every flag and the ETag.
     */
    public OfrepResponse evaluateAll(Snapshot snapshot, byte[] body, String ifNoneMatch) {
        return evaluateAll(snapshot, body, ifNoneMatch, null);
    }

    /** As {@link #evaluateAll(Snapshot, byte[], String)}, with {@code clientAddress} as for {@link #evaluate(Snapshot, String, byte[], String)}. */
    public OfrepResponse evaluateAll(Snapshot snapshot, byte[] body, String ifNoneMatch, String clientAddress) {
        return evaluateAll(snapshot, body, ifNoneMatch, clientAddress, null);
    }

    /** As above; a 200 carries {@code eventStreams} (ADR-0008; null for none) for the provider to listen on. */
    public OfrepResponse evaluateAll(Snapshot snapshot, byte[] body, String ifNoneMatch, String clientAddress,
                                     List<?> eventStreams) {
        EvaluationContext context;
        try {
            context = EvaluationContext.fromRequestBody(body).withRemoteAddress(clientAddress);
        } catch (OfrepException e) {
            return OfrepResponse.bulkFailure(e.errorCode(), e.getMessage());
        }
        String etag = BulkEtag.of(snapshot.environment(), snapshot.version(), context);
        if (BulkEtag.matches(ifNoneMatch, etag)) {
            return OfrepResponse.notModified(etag);
        }
        SnapshotRules compiled = rules.rules(snapshot);
        Context unleash = context.toUnleash();
        Evaluation.FlagSetMetadata metadata = metadata(snapshot);
        List<Evaluation> flags = new ArrayList<>(compiled.rules().size());
        for (dev.flagsync.evaluator.Evaluation answer : evaluator.evaluateAll(compiled.rules(), unleash)) {
            flags.add(OfrepAnswers.of(compiled, answer, metadata));
        }
        return new OfrepResponse(200, new OfrepResponse.BulkEvaluation(flags, eventStreams, metadata), etag);
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
