package dev.flagsync.evaluator;

/** A flag whose stored rules could not be read: off for everyone, with the reason as its error. */
record UnreadableFlag(String key, String reason) implements CompiledFlag {

    @Override
    public Evaluation evaluate(Context context, Host host) {
        return Evaluation.error(key, ErrorCode.UNREADABLE_RULES,
                "flag " + key + " has rules that cannot be read: " + reason);
    }
}
