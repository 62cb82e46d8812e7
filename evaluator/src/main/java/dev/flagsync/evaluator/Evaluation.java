package dev.flagsync.evaluator;

/**
 * The answer for one flag and one context: whether it is enabled, its variant, the reason, and,
 * for reason ERROR (or DEFAULT on a missing flag), an error code and a message naming the flag.
 */
public record Evaluation(
        String flagKey, boolean enabled, EvaluatedVariant variant, Reason reason, ErrorCode errorCode, String errorMessage) {

    static Evaluation on(String flagKey, EvaluatedVariant variant, Reason reason) {
        return new Evaluation(flagKey, true, variant, reason, null, null);
    }

    static Evaluation off(String flagKey, Reason reason) {
        return new Evaluation(flagKey, false, EvaluatedVariant.FEATURE_DISABLED, reason, null, null);
    }

    static Evaluation notFound(String flagKey) {
        return new Evaluation(flagKey, false, EvaluatedVariant.FEATURE_DISABLED, Reason.DEFAULT,
                ErrorCode.FLAG_NOT_FOUND, "flag " + flagKey + " does not exist");
    }

    static Evaluation error(String flagKey, ErrorCode code, String message) {
        return new Evaluation(flagKey, false, EvaluatedVariant.FEATURE_DISABLED, Reason.ERROR, code, message);
    }

    public boolean isError() {
        return reason == Reason.ERROR;
    }
}
