package dev.flagsync.evaluator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.evaluator.condition.Condition;
import dev.flagsync.evaluator.condition.ConditionCompiler;
import dev.flagsync.evaluator.condition.Warnings;
import dev.flagsync.evaluator.model.Constraint;
import dev.flagsync.evaluator.model.Dependency;
import dev.flagsync.evaluator.model.Feature;
import dev.flagsync.evaluator.model.FeatureSource;
import dev.flagsync.evaluator.model.RuleJson;
import dev.flagsync.evaluator.model.Segment;
import dev.flagsync.evaluator.model.SegmentSource;
import dev.flagsync.evaluator.model.UnreadableFeature;
import dev.flagsync.evaluator.model.UnreadableSegment;
import dev.flagsync.evaluator.strategy.CompiledStrategy;
import dev.flagsync.evaluator.strategy.StrategyCompiler;
import dev.flagsync.evaluator.strategy.VariantPicker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a snapshot's flags and segments once per snapshot version: patterns, semantic
 * versions, networks, numbers, dates and value sets are parsed here, never per request.
 * Lenient as the Unleash specification demands; what it decided is in the result's warnings.
 */
public final class RuleCompiler {

    private final List<Problem> problems = new ArrayList<>();
    private final List<Problem> warnings = new ArrayList<>();
    private final Map<Integer, List<Condition>> segments = new HashMap<>();
    private final Map<String, CompiledFlag> flags = new LinkedHashMap<>();

    private RuleCompiler() {
    }

    public static CompiledRules compile(Collection<? extends FeatureSource> features,
            Collection<? extends SegmentSource> segments) {
        RuleCompiler compiler = new RuleCompiler();
        segments.forEach(compiler::addSegment);
        Map<String, Feature> dependents = new LinkedHashMap<>();
        for (FeatureSource source : features) {
            if (compiler.flags.containsKey(source.name()) || dependents.containsKey(source.name())) {
                compiler.warn(Problem.Kind.FLAG, source.name(), "$.name", "a second flag of this name is ignored");
            } else if (source instanceof Feature f && f.strategies() != null && hasEntries(f.dependencies())) {
                dependents.put(f.name(), f); // compiled once every possible parent is
            } else {
                compiler.flags.put(source.name(), compiler.compileFlag(source, List.of()));
            }
        }
        dependents.forEach((name, feature) -> compiler.flags.put(name,
                compiler.compileFlag(feature, compiler.link(feature, dependents.keySet()))));
        return new CompiledRules(compiler.flags, compiler.problems, compiler.warnings);
    }

    /** Reads Unleash's client-features arrays ({@code features}, {@code segments}) leniently, then compiles. */
    public static CompiledRules compileJson(JsonNode features, JsonNode segments) {
        return compile(RuleJson.readFeatures(features), RuleJson.readSegments(segments));
    }

    private void addSegment(SegmentSource source) {
        String id = Integer.toString(source.id());
        if (source instanceof UnreadableSegment unreadable) {
            problems.add(new Problem(Problem.Kind.SEGMENT, id, "$", unreadable.reason()
                    + "; strategies that use it evaluate false"));
            return;
        }
        Segment segment = (Segment) source;
        if (segments.containsKey(segment.id())) {
            warn(Problem.Kind.SEGMENT, id, "$.id", "a second segment of this id is ignored");
            return;
        }
        List<Constraint> constraints = segment.constraints() == null ? List.of() : segment.constraints();
        List<Condition> conditions = new ArrayList<>();
        for (int i = 0; i < constraints.size(); i++) {
            conditions.add(ConditionCompiler.compile(constraints.get(i), "$.constraints[" + i + "]",
                    (path, message) -> warn(Problem.Kind.SEGMENT, id, path, message)));
        }
        segments.put(segment.id(), List.copyOf(conditions));
    }

    private CompiledFlag compileFlag(FeatureSource source, List<CompiledDependency> dependencies) {
        if (source instanceof UnreadableFeature unreadable) {
            problems.add(new Problem(Problem.Kind.FLAG, unreadable.name(), "$", unreadable.reason()));
            return new UnreadableFlag(unreadable.name(), unreadable.reason());
        }
        Feature f = (Feature) source;
        String name = f.name();
        if (f.strategies() == null) {
            if (hasEntries(f.variants()) || hasEntries(f.dependencies())) {
                warn(Problem.Kind.FLAG, name, "$.strategies", "variants and dependencies need strategies: ignored");
            }
            return new LegacyFlag(name, f.enabled(), f.rolloutPercentage() == null ? 100 : f.rolloutPercentage());
        }
        if (f.rolloutPercentage() != null && f.rolloutPercentage() != 100) {
            warn(Problem.Kind.FLAG, name, "$.rolloutPercentage", "ignored: the flag has strategies");
        }
        List<CompiledStrategy> strategies = new ArrayList<>();
        for (int i = 0; i < f.strategies().size(); i++) {
            String path = "$.strategies[" + i + "]";
            if (f.strategies().get(i) == null) {
                warn(Problem.Kind.FLAG, name, path, "a null strategy is skipped");
            } else {
                strategies.add(StrategyCompiler.compile(f.strategies().get(i), name, segments, path, flagWarnings(name)));
            }
        }
        VariantPicker variants = VariantPicker.forFeature(f.variants(), name, "$.variants", flagWarnings(name));
        return new RuleFlag(name, f.enabled(), f.impressionData(), strategies.toArray(CompiledStrategy[]::new),
                variants, dependencies.toArray(CompiledDependency[]::new));
    }

    /** Links a flag's dependencies to parents that are compiled already: those without dependencies. */
    private List<CompiledDependency> link(Feature feature, Set<String> dependents) {
        List<CompiledDependency> linked = new ArrayList<>();
        for (int i = 0; i < feature.dependencies().size(); i++) {
            Dependency d = feature.dependencies().get(i);
            String path = "$.dependencies[" + i + "]";
            if (d == null || d.feature() == null) {
                warn(Problem.Kind.FLAG, feature.name(), path, "a dependency without a feature is never met");
                linked.add(new CompiledDependency(null, null, true, Set.of()));
                continue;
            }
            CompiledFlag parent = dependents.contains(d.feature()) ? null : flags.get(d.feature());
            if (parent == null) {
                warn(Problem.Kind.FLAG, feature.name(), path + ".feature", dependents.contains(d.feature())
                        ? "parent " + d.feature() + " has dependencies itself (one level only): never met"
                        : "parent " + d.feature() + " does not exist: never met");
            }
            Set<String> variants = d.variants() == null ? Set.of()
                    : Set.copyOf(d.variants().stream().filter(v -> v != null).toList());
            linked.add(new CompiledDependency(d.feature(), parent, d.expectsEnabled(), variants));
        }
        return linked;
    }

    private Warnings flagWarnings(String name) {
        return (path, message) -> warn(Problem.Kind.FLAG, name, path, message);
    }

    private void warn(Problem.Kind kind, String id, String path, String message) {
        warnings.add(new Problem(kind, id, path, message));
    }

    private static boolean hasEntries(List<?> list) {
        return list != null && !list.isEmpty();
    }
}
