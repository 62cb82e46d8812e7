package dev.flagsync.evaluator;

/** One flag of a {@link CompiledRules}, ready to evaluate. */
sealed interface CompiledFlag permits LegacyFlag, RuleFlag, UnreadableFlag {

    String key();

    Evaluation evaluate(Context context, Host host);

    boolean impressionData();

    /** Whether it depends on other flags; Unleash refuses such a flag as a parent (one level only). */
    boolean hasDependencies();
}
