package dev.flagsync.evaluator;

import dev.flagsync.evaluator.strategy.CompiledStrategy;
import dev.flagsync.evaluator.strategy.VariantPicker;

/**
 * A flag of Unleash's model, evaluated as the Unleash SDKs do: off when disabled or when a
 * dependency is unmet; on for everyone with no strategies; else on when the first strategy
 * whose constraints, segments and rule all pass is found. The variant comes from that strategy's
 * variants, else from the flag's.
 */
final class RuleFlag implements CompiledFlag {

    private final String key;
    private final boolean enabled;
    private final boolean impressionData;
    private final CompiledStrategy[] strategies;
    private final VariantPicker variants;
    private final CompiledDependency[] dependencies;
    private final Evaluation[] offAnswers = new Evaluation[Reason.values().length];

    RuleFlag(String key, boolean enabled, boolean impressionData, CompiledStrategy[] strategies,
            VariantPicker variants, CompiledDependency[] dependencies) {
        this.key = key;
        this.enabled = enabled;
        this.impressionData = impressionData;
        this.strategies = strategies;
        this.variants = variants;
        this.dependencies = dependencies;
        for (Reason reason : Reason.values()) {
            offAnswers[reason.ordinal()] = Evaluation.off(key, reason);
        }
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public Evaluation evaluate(Context context, Host host) {
        if (!enabled) {
            return offAnswers[Reason.DISABLED.ordinal()];
        }
        for (CompiledDependency dependency : dependencies) {
            Reason unmet = dependency.unmetReason(context, host);
            if (unmet != null) {
                return offAnswers[unmet.ordinal()];
            }
        }
        if (strategies.length == 0) {
            return withVariant(null, Reason.STATIC, context, host);
        }
        Reason rejected = Reason.DEFAULT;
        for (CompiledStrategy strategy : strategies) {
            CompiledStrategy.Outcome outcome = strategy.evaluate(context, host);
            if (outcome == CompiledStrategy.Outcome.MATCHED) {
                return withVariant(strategy.variants(), strategy.matchReason(), context, host);
            }
            rejected = strongest(rejected, strategy.rejectionReason(outcome));
        }
        return offAnswers[rejected.ordinal()];
    }

    /** The strategy's variant if it has one to give, else the flag's; override and weight adjust the reason. */
    private Evaluation withVariant(VariantPicker strategyVariants, Reason reason, Context context, Host host) {
        Evaluation answer = pick(strategyVariants, reason, context, host);
        if (answer == null) {
            answer = pick(variants, reason, context, host);
        }
        if (answer != null) {
            return answer;
        }
        boolean hasVariants = strategyVariants != null || variants != null;
        return Evaluation.on(key, EvaluatedVariant.NO_VARIANT, hasVariants ? Reason.DEFAULT : reason);
    }

    private Evaluation pick(VariantPicker picker, Reason reason, Context context, Host host) {
        if (picker == null) {
            return null;
        }
        int index = picker.overrideIndex(context);
        if (index >= 0) {
            return Evaluation.on(key, picker.answer(index), Reason.TARGETING_MATCH);
        }
        index = picker.weightedIndex(context, host);
        return index < 0 ? null : Evaluation.on(key, picker.answer(index), picker.isSplit() ? Reason.SPLIT : reason);
    }

    /**
     * Of the reasons strategies refused a context, the one that says most: a percentage (the
     * context was eligible but outside the bucket, and a higher rollout would let it in), then
     * targeting (a constraint, segment or list refused it).
     */
    private static Reason strongest(Reason a, Reason b) {
        return rank(b) > rank(a) ? b : a;
    }

    private static int rank(Reason reason) {
        return switch (reason) {
            case SPLIT -> 3;
            case TARGETING_MATCH -> 2;
            case STATIC -> 1;
            default -> 0;
        };
    }

    @Override
    public boolean impressionData() {
        return impressionData;
    }

    @Override
    public boolean hasDependencies() {
        return dependencies.length > 0;
    }
}
