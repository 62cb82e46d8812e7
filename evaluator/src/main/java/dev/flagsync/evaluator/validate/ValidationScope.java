package dev.flagsync.evaluator.validate;

import dev.flagsync.evaluator.model.Dependency;
import dev.flagsync.evaluator.model.Feature;
import dev.flagsync.evaluator.model.Segment;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a write is checked against: the environment's segment ids, its flags, which of them
 * depend on others, and which are parents already (so dependencies stay one level deep).
 */
public record ValidationScope(
        Set<Integer> segmentIds, Set<String> flagKeys, Set<String> flagsWithDependencies, Set<String> parentFlags) {

    public ValidationScope {
        segmentIds = Set.copyOf(segmentIds);
        flagKeys = Set.copyOf(flagKeys);
        flagsWithDependencies = Set.copyOf(flagsWithDependencies);
        parentFlags = Set.copyOf(parentFlags);
    }

    /** A scope with no segments and no flags. */
    public static ValidationScope empty() {
        return new ValidationScope(Set.of(), Set.of(), Set.of(), Set.of());
    }

    /**
     * The scope of an environment holding {@code flags} and {@code segments}. Pass the flags as
     * stored, the one being written included or not: its own entry is never used against it.
     */
    public static ValidationScope of(Collection<Feature> flags, Collection<Segment> segments) {
        Set<String> withDependencies = new HashSet<>();
        Set<String> parents = new HashSet<>();
        for (Feature flag : flags) {
            List<Dependency> dependencies = flag.dependencies() == null ? List.of() : flag.dependencies();
            if (!dependencies.isEmpty()) {
                withDependencies.add(flag.name());
            }
            dependencies.stream().filter(d -> d != null && d.feature() != null).forEach(d -> parents.add(d.feature()));
        }
        return new ValidationScope(segments.stream().map(Segment::id).collect(Collectors.toSet()),
                flags.stream().map(Feature::name).collect(Collectors.toSet()), withDependencies, parents);
    }
}
