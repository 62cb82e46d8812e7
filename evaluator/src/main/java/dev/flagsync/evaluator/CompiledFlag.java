package dev.flagsync.evaluator;

/** One flag of a {@link CompiledRules}, ready to evaluate. */
sealed interface CompiledFlag permits LegacyFlag, RuleFlag, UnreadableFlag {

    String key();

    Evaluation evaluate(Context context, Host host);

    /** Whether SDKs should raise impression events for it; only Unleash-model flags can ask. */
    default boolean impressionData() {
        return false;
    }

    /** Whether it depends on other flags; Unleash refuses such a flag as a parent (one level only). */
    default boolean hasDependencies() {
        return false;
    }
}
