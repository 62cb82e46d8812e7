package dev.flagsync.evaluator.strategy;

import dev.flagsync.evaluator.Reason;
import dev.flagsync.evaluator.condition.Condition;
import dev.flagsync.evaluator.condition.ConditionCompiler;
import dev.flagsync.evaluator.condition.Numbers;
import dev.flagsync.evaluator.condition.Warnings;
import dev.flagsync.evaluator.model.Constraint;
import dev.flagsync.evaluator.model.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compiles a strategy: Unleash's standard strategies by name (an unknown name is skipped, that is
 * never on), its constraints, the constraints of the segments it names, and its variants.
 */
public final class StrategyCompiler {

    private StrategyCompiler() {
    }

    /**
     * @param segments every segment's compiled conditions by id; an id that is not there is false
     */
    public static CompiledStrategy compile(Strategy strategy, String flagKey, Map<Integer, List<Condition>> segments,
            String path, Warnings warnings) {
        List<Condition> conditions = new ArrayList<>();
        List<Constraint> constraints = strategy.constraints() == null ? List.of() : strategy.constraints();
        for (int i = 0; i < constraints.size(); i++) {
            conditions.add(ConditionCompiler.compile(constraints.get(i), path + ".constraints[" + i + "]", warnings));
        }
        List<Integer> segmentIds = strategy.segments() == null ? List.of() : strategy.segments();
        for (int i = 0; i < segmentIds.size(); i++) {
            List<Condition> segment = segments.get(segmentIds.get(i));
            if (segment == null) {
                warnings.warn(path + ".segments[" + i + "]", "segment " + segmentIds.get(i)
                        + " does not exist: the strategy evaluates false");
                conditions.add(Condition.NEVER);
            } else {
                conditions.addAll(segment);
            }
        }
        VariantPicker variants = VariantPicker.forStrategy(strategy, flagKey, path + ".variants", warnings);
        String name = strategy.name() == null ? "" : strategy.name();
        return switch (name) {
            case "default" -> build(conditions, StrategyRule.ALWAYS, Reason.STATIC, variants);
            case "flexibleRollout" -> {
                String groupId = strategy.parameter("groupId");
                Stickiness stickiness = Stickiness.forRollout(strategy.parameter("stickiness"));
                yield percentage(conditions, groupId == null || groupId.isEmpty() ? flagKey : groupId,
                        strategy.parameter("rollout"), stickiness, variants);
            }
            case "gradualRolloutUserId" -> percentage(conditions, groupId(strategy), strategy.parameter("percentage"),
                    Stickiness.USER_ID, variants);
            case "gradualRolloutSessionId" -> percentage(conditions, groupId(strategy), strategy.parameter("percentage"),
                    Stickiness.SESSION_ID, variants);
            case "gradualRolloutRandom" -> random(conditions, strategy.parameter("percentage"), variants);
            case "userWithId", "remoteAddress", "applicationHostname" ->
                    build(conditions, ListRules.compile(name, strategy, path + ".parameters", warnings),
                            Reason.TARGETING_MATCH, variants);
            default -> {
                warnings.warn(path + ".name", "unknown strategy \"" + name + "\": skipped (never on)");
                yield build(List.of(), StrategyRule.NEVER, Reason.DEFAULT, null);
            }
        };
    }

    private static String groupId(Strategy strategy) {
        String groupId = strategy.parameter("groupId");
        return groupId == null ? "" : groupId; // as the Node SDK; yggdrasil refuses a missing groupId here
    }

    private static CompiledStrategy percentage(List<Condition> conditions, String groupId, String percentText,
            Stickiness stickiness, VariantPicker variants) {
        double percentage = Numbers.parse(percentText);
        if (!(percentage > 0)) {
            return build(conditions, StrategyRule.NEVER, Double.isNaN(percentage) ? Reason.DEFAULT : Reason.SPLIT, variants);
        }
        Reason reason = percentage < 100 ? Reason.SPLIT
                : stickiness.canBeMissing() ? Reason.TARGETING_MATCH : Reason.STATIC;
        return build(conditions, new PercentageRule(groupId, percentage, stickiness), reason, variants);
    }

    private static CompiledStrategy random(List<Condition> conditions, String percentText, VariantPicker variants) {
        double percentage = Numbers.parse(percentText);
        if (Double.isNaN(percentage)) {
            return build(conditions, StrategyRule.NEVER, Reason.DEFAULT, variants);
        }
        StrategyRule rule = (context, host) -> percentage >= host.random().nextInt(100) + 1;
        return build(conditions, rule, percentage < 100 ? Reason.SPLIT : Reason.STATIC, variants); // 0 % too, as a legacy 0 %
    }

    private static CompiledStrategy build(List<Condition> conditions, StrategyRule rule, Reason reason,
            VariantPicker variants) {
        return new CompiledStrategy(conditions.toArray(Condition[]::new), rule, reason, variants);
    }
}
