package dev.flagsync.api.ofrep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.flagsync.api.rules.SnapshotRules;
import dev.flagsync.evaluator.EvaluatedVariant;
import dev.flagsync.evaluator.model.Payload;
import java.math.BigDecimal;

/**
 * Turns the evaluator's answer into OFREP's. A flag without variants (every flag of the legacy
 * model among them) answers {@code true} or {@code false} with variant {@code on} or {@code off},
 * exactly as before. A flag with variants answers the variant's name as {@code variant} and its
 * payload as {@code value}: a string for {@code string} and {@code csv}, a number for
 * {@code number}, the parsed JSON for {@code json}, the variant's name when it has no payload; and
 * no value at all when it gives no variant (off, or on without a variant for the context), which
 * OpenFeature's OFREP providers resolve to the caller's default with the reason given.
 */
final class OfrepAnswers {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private OfrepAnswers() {
    }

    static Evaluation of(SnapshotRules rules, dev.flagsync.evaluator.Evaluation answer,
                         Evaluation.FlagSetMetadata metadata) {
        String key = answer.flagKey();
        if (answer.errorCode() != null) {
            return new Evaluation.Failed(key, errorCode(answer.errorCode()), answer.errorMessage());
        }
        if (!rules.hasVariants(key)) {
            return new Evaluation.Resolved(key, answer.reason(), answer.enabled() ? Evaluation.ON : Evaluation.OFF,
                    BooleanNode.valueOf(answer.enabled()), metadata);
        }
        EvaluatedVariant variant = answer.variant();
        if (!answer.enabled() || !variant.enabled()) {
            return new Evaluation.Resolved(key, answer.reason(), null, null, metadata);
        }
        JsonNode value = variant.payload() == null || variant.payload().value() == null ? JSON.textNode(variant.name())
                : rules.value(variant.payload(), OfrepAnswers::value);
        return new Evaluation.Resolved(key, answer.reason(), variant.name(), value, metadata);
    }

    /** OFREP's code: an unreadable flag is a configuration that cannot be parsed, OpenFeature's PARSE_ERROR. */
    static ErrorCode errorCode(dev.flagsync.evaluator.ErrorCode code) {
        return switch (code) {
            case FLAG_NOT_FOUND -> ErrorCode.FLAG_NOT_FOUND;
            case TARGETING_KEY_MISSING -> ErrorCode.TARGETING_KEY_MISSING;
            case UNREADABLE_RULES -> ErrorCode.PARSE_ERROR;
        };
    }

    /** A payload's value by its type; one that does not parse as its type is answered as the string it is. */
    private static JsonNode value(Payload payload) {
        String text = payload.value();
        String type = payload.type() == null ? "string" : payload.type();
        try {
            return switch (type) {
                case "number" -> JSON.numberNode(new BigDecimal(text.strip()));
                case "json" -> OfrepJson.readValue(text);
                default -> JSON.textNode(text);
            };
        } catch (IllegalArgumentException e) { // NumberFormatException included
            return JSON.textNode(text);
        }
    }
}
