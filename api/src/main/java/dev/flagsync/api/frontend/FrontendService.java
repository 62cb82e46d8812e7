package dev.flagsync.api.frontend;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.flagsync.api.rules.RulesCache;
import dev.flagsync.api.rules.SnapshotRules;
import dev.flagsync.evaluator.Context;
import dev.flagsync.evaluator.EvaluatedVariant;
import dev.flagsync.evaluator.Evaluation;
import dev.flagsync.evaluator.Evaluator;
import dev.flagsync.shared.flag.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Unleash's frontend API over a snapshot the caller has already read: every flag evaluated for
 * the context with the snapshot's compiled rules ({@link RulesCache}, shared with OFREP), and
 * only the enabled ones answered, each with its variant, as Unleash answers
 * ({@code {"toggles":[{"name","enabled":true,"variant":{..},"impressionData"}]}}). Knows nothing
 * of HTTP frameworks or data sources.
 *
 * <p>The ETag is a hash of the answer's bytes, so it depends on everything the answer does:
 * flags, segments and context. The browser SDK sends its last ETag again after a context change;
 * a tag of the environment's version alone would answer a new user 304 and leave them on the
 * previous user's toggles.
 */
public final class FrontendService {

    private static final JsonFactory JSON = new JsonFactory();
    private static final int HASH_BYTES = 12;

    private final RulesCache rules;
    private final Evaluator evaluator;

    public FrontendService(RulesCache rules, Evaluator evaluator) {
        this.rules = rules;
        this.evaluator = evaluator;
    }

    /** The evaluated toggles for the context, and their ETag. */
    public FrontendAnswer toggles(Snapshot snapshot, Context context) {
        SnapshotRules compiled = rules.rules(snapshot);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeArrayFieldStart("toggles");
            for (Evaluation answer : evaluator.evaluateAll(compiled.rules(), context)) {
                // An answer of rules that cannot be read is off (with an error): not a toggle either.
                if (answer.enabled()) {
                    writeToggle(json, answer, compiled.rules().impressionData(answer.flagKey()));
                }
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        byte[] body = bytes.toByteArray();
        return new FrontendAnswer(body, etag(body));
    }

    private static void writeToggle(JsonGenerator json, Evaluation answer, boolean impressionData) throws IOException {
        EvaluatedVariant variant = answer.variant();
        json.writeStartObject();
        json.writeStringField("name", answer.flagKey());
        json.writeBooleanField("enabled", true);
        json.writeObjectFieldStart("variant");
        json.writeStringField("name", variant.name());
        json.writeBooleanField("enabled", variant.enabled());
        if (variant.payload() != null && variant.payload().value() != null) {
            json.writeObjectFieldStart("payload");
            json.writeStringField("type", variant.payload().type() == null ? "string" : variant.payload().type());
            json.writeStringField("value", variant.payload().value());
            json.writeEndObject();
        }
        json.writeBooleanField("feature_enabled", true);
        json.writeBooleanField("featureEnabled", true); // deprecated by Unleash, still sent by it
        json.writeEndObject();
        json.writeBooleanField("impressionData", impressionData);
        json.writeEndObject();
    }

    private static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, HASH_BYTES) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
