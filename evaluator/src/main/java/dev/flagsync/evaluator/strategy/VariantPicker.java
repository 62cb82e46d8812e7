package dev.flagsync.evaluator.strategy;

import dev.flagsync.evaluator.Context;
import dev.flagsync.evaluator.EvaluatedVariant;
import dev.flagsync.evaluator.Hashing;
import dev.flagsync.evaluator.Host;
import dev.flagsync.evaluator.condition.ContextField;
import dev.flagsync.evaluator.condition.Warnings;
import dev.flagsync.evaluator.model.Strategy;
import dev.flagsync.evaluator.model.Variant;
import dev.flagsync.evaluator.model.VariantOverride;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A compiled list of variants. With a positive total weight, the first variant with an override
 * matching the context wins; otherwise the one whose running weight first reaches
 * {@code normalized(groupId, stickyId, totalWeight, seed 86028157)}. Answers are built once.
 */
public final class VariantPicker {

    private record OverrideRule(int variant, ContextField field, Set<String> values) {
    }

    /** Far above Unleash's 1000, and low enough that 2,147 variants cannot overflow an int. */
    private static final int MAX_WEIGHT = 1_000_000;

    private final EvaluatedVariant[] answers;
    private final int[] weights;
    private final int totalWeight;
    private final OverrideRule[] overrides;
    private final Stickiness stickiness;
    private final Hashing.Group group;
    private final boolean split;

    private VariantPicker(List<Variant> variants, String groupId, Stickiness stickiness, String path, Warnings warnings) {
        List<EvaluatedVariant> answers = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        List<OverrideRule> overrides = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) {
            Variant v = variants.get(i);
            if (v == null || v.name() == null) {
                warnings.warn(path + "[" + i + "]", "a variant without a name is ignored");
                continue;
            }
            for (VariantOverride o : v.overrides() == null ? List.<VariantOverride>of() : v.overrides()) {
                if (o != null && o.values() != null) {
                    overrides.add(new OverrideRule(answers.size(), ContextField.of(o.contextName()),
                            Set.copyOf(o.values().stream().filter(x -> x != null).toList())));
                }
            }
            if (v.weight() < 0 || v.weight() > MAX_WEIGHT) {
                warnings.warn(path + "[" + i + "].weight", "read as " + (v.weight() < 0 ? 0 : MAX_WEIGHT)
                        + ": a weight is from 0 to " + MAX_WEIGHT);
            }
            answers.add(EvaluatedVariant.of(v.name(), v.payload()));
            weights.add(Math.min(Math.max(0, v.weight()), MAX_WEIGHT));
        }
        this.answers = answers.toArray(EvaluatedVariant[]::new);
        this.weights = weights.stream().mapToInt(Integer::intValue).toArray();
        this.totalWeight = weights.stream().mapToInt(Integer::intValue).sum();
        this.overrides = overrides.toArray(OverrideRule[]::new);
        this.stickiness = stickiness;
        this.group = Hashing.group(groupId);
        this.split = weights.stream().filter(w -> w > 0).count() > 1;
    }

    /** The flag's own variants: grouped by the flag's name, sticky on the first variant's stickiness. */
    public static VariantPicker forFeature(List<Variant> variants, String flagKey, String path, Warnings warnings) {
        if (variants == null || variants.isEmpty()) {
            return null;
        }
        return new VariantPicker(variants, flagKey, Stickiness.forVariants(stickinessOf(variants)), path, warnings);
    }

    /** A strategy's variants: grouped by its groupId (else the flag's name), sticky as the first variant or the strategy. */
    static VariantPicker forStrategy(Strategy strategy, String flagKey, String path, Warnings warnings) {
        List<Variant> variants = strategy.variants();
        if (variants == null || variants.isEmpty()) {
            return null;
        }
        String stickiness = stickinessOf(variants);
        if (stickiness == null || stickiness.isEmpty()) {
            stickiness = strategy.parameter("stickiness");
        }
        String groupId = strategy.parameter("groupId");
        return new VariantPicker(variants, groupId == null || groupId.isEmpty() ? flagKey : groupId,
                Stickiness.forVariants(stickiness), path, warnings);
    }

    private static String stickinessOf(List<Variant> variants) {
        return variants.get(0) == null ? null : variants.get(0).stickiness();
    }

    /** The index of the first variant with an override matching the context, or -1. */
    public int overrideIndex(Context context) {
        if (totalWeight <= 0) {
            return -1;
        }
        for (OverrideRule o : overrides) {
            String value = o.field().valueIn(context);
            if (value != null && o.values().contains(value)) {
                return o.variant();
            }
        }
        return -1;
    }

    /** The index picked by weight, or -1 when the weights add up to nothing. */
    public int weightedIndex(Context context, Host host) {
        if (totalWeight <= 0) {
            return -1;
        }
        String id = stickiness.id(context);
        int target = id == null ? host.random().nextInt(totalWeight) + 1 : group.normalized(id, totalWeight, Hashing.VARIANT_SEED);
        int running = 0;
        for (int i = 0; i < weights.length; i++) {
            running += weights[i];
            if (weights[i] > 0 && running >= target) {
                return i;
            }
        }
        return -1;
    }

    public EvaluatedVariant answer(int index) {
        return answers[index];
    }

    /** Whether the weights split contexts between two or more variants. */
    public boolean isSplit() {
        return split;
    }
}
