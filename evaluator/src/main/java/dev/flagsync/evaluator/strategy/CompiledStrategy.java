package dev.flagsync.evaluator.strategy;

import dev.flagsync.evaluator.Context;
import dev.flagsync.evaluator.Host;
import dev.flagsync.evaluator.Reason;
import dev.flagsync.evaluator.condition.Condition;

/**
 * One strategy, compiled: its constraints and its segments' constraints (ANDed, a missing segment
 * as a condition that is never true), its own rule, and its variants, if any.
 */
public final class CompiledStrategy {

    /** What one evaluation of a strategy found. */
    public enum Outcome { MATCHED, FAILED_CONSTRAINTS, FAILED_RULE }

    private final Condition[] conditions;
    private final StrategyRule rule;
    private final Reason ruleReason;
    private final VariantPicker variants;

    CompiledStrategy(Condition[] conditions, StrategyRule rule, Reason ruleReason, VariantPicker variants) {
        this.conditions = conditions;
        this.rule = rule;
        this.ruleReason = ruleReason;
        this.variants = variants;
    }

    public Outcome evaluate(Context context, Host host) {
        for (Condition condition : conditions) {
            if (!condition.test(context, host)) {
                return Outcome.FAILED_CONSTRAINTS;
            }
        }
        return rule.test(context, host) ? Outcome.MATCHED : Outcome.FAILED_RULE;
    }

    /** SPLIT when a percentage below 100 let the context in, else TARGETING_MATCH if anything looked at it. */
    public Reason matchReason() {
        return ruleReason == Reason.STATIC && conditions.length > 0 ? Reason.TARGETING_MATCH : ruleReason;
    }

    /** Why the strategy refused a context, for an outcome other than MATCHED. */
    public Reason rejectionReason(Outcome outcome) {
        return outcome == Outcome.FAILED_CONSTRAINTS ? Reason.TARGETING_MATCH : ruleReason;
    }

    /** The strategy's own variants, or null when it has none (the flag's variants apply). */
    public VariantPicker variants() {
        return variants;
    }
}
