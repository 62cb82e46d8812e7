package dev.flagsync.api.admin;

import dev.flagsync.api.admin.ImportPlan.FlagCandidate;
import dev.flagsync.api.admin.ImportPlan.Refusal;
import dev.flagsync.api.admin.ImportPlan.SegmentCandidate;
import dev.flagsync.evaluator.validate.RuleValidator;
import dev.flagsync.evaluator.validate.ValidationError;
import dev.flagsync.evaluator.validate.ValidationScope;
import dev.flagsync.shared.db.FlagStore;
import dev.flagsync.shared.db.WriteCheck;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.Segment;
import dev.flagsync.shared.flag.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Many flags and segments written in one transaction, under the environment's admin-write lock,
 * each checked as strictly as one admin write ({@link RuleWrites}): against the environment as it
 * will be after the import (what is stored, with the imported flags and segments in place). What
 * fails the check is left out and reported with its JSON paths; leaving a flag out can make
 * another fail (a dependency on it), so the check repeats until nothing more is left out. Imports
 * add and replace; they never delete. A dry run does everything, then rolls back.
 */
public final class ImportWrites {

    /** Thrown to roll a dry run back, carrying what it would have done. */
    private static final class DryRun extends RuntimeException {
        private final ImportPlan.Outcome outcome;

        DryRun(ImportPlan.Outcome outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }

    /** @param planner turns the environment as stored into what to write (e.g. to map segment names to ids) */
    public ImportPlan.Outcome importAll(FlagStore writer, String environment, Function<Snapshot, ImportPlan> planner,
                                        boolean dryRun) {
        try {
            return writer.inTransaction(environment, (current, transaction) -> {
                ImportPlan plan = planner.apply(current);
                ImportPlan.Outcome outcome = write(transaction, environment, current, plan, dryRun);
                if (dryRun) {
                    throw new DryRun(outcome);
                }
                return outcome;
            });
        } catch (DryRun rolledBack) {
            return rolledBack.outcome;
        }
    }

    private static ImportPlan.Outcome write(FlagStore transaction, String environment, Snapshot current, ImportPlan plan,
                                            boolean dryRun) {
        List<Refusal> refused = new ArrayList<>(plan.refused());
        Map<Integer, SegmentCandidate> segments = new LinkedHashMap<>();
        for (SegmentCandidate segment : plan.segments()) {
            List<ValidationError> errors = new ArrayList<>(RuleValidator.validateSegment(segment.body()));
            errors.addAll(RuleWrites.description(segment.body()));
            if (errors.isEmpty()) {
                segments.put(segment.id(), segment);
            } else {
                refused.add(new Refusal("segment", Integer.toString(segment.id()), errors));
            }
        }
        Map<String, FlagCandidate> flags = new LinkedHashMap<>();
        for (FlagCandidate flag : plan.flags()) {
            List<ValidationError> errors = RuleWrites.flagFields(flag.body());
            if (errors.isEmpty()) {
                flags.put(flag.key(), flag);
            } else {
                refused.add(new Refusal("flag", flag.key(), errors));
            }
        }
        refused.addAll(checkUntilStable(current, segments.keySet(), flags));

        for (SegmentCandidate segment : segments.values()) {
            transaction.upsertSegment(environment, segment.id(), RuleWrites.segmentUpdate(segment.body()), WriteCheck.NONE);
        }
        for (FlagCandidate flag : flags.values()) {
            transaction.upsert(environment, flag.key(), FlagJson.readUpdate(flag.body()), WriteCheck.NONE);
        }
        return new ImportPlan.Outcome(environment, plan.format(), dryRun,
                new ImportPlan.Imported(List.copyOf(segments.keySet()), List.copyOf(flags.keySet())), refused, plan.ignored());
    }

    /**
     * Checks the flags against the scope after the import, removing the refused from {@code flags}
     * and returning them. Flags that depend on a flag with dependencies of its own are judged
     * first, alone: leaving them out can make their parent acceptable again (a chain of three
     * keeps its first two links, as Unleash's SDKs would evaluate them; a cycle loses both).
     */
    private static List<Refusal> checkUntilStable(Snapshot current, Set<Integer> importedSegments,
                                                  Map<String, FlagCandidate> flags) {
        List<Refusal> refused = new ArrayList<>();
        boolean changed = true;
        while (changed && !flags.isEmpty()) {
            changed = false;
            ValidationScope scope = scopeAfter(current, importedSegments, flags);
            List<FlagCandidate> deep = flags.values().stream().filter(flag -> RuleWrites.parents(flag.body().get("dependencies"))
                    .stream().anyMatch(scope.flagsWithDependencies()::contains)).toList();
            for (FlagCandidate flag : deep.isEmpty() ? List.copyOf(flags.values()) : deep) {
                List<ValidationError> errors = RuleValidator.validateFeature(flag.key(), flag.body(), scope);
                if (!errors.isEmpty()) {
                    refused.add(new Refusal("flag", flag.key(), errors));
                    flags.remove(flag.key());
                    changed = true;
                }
            }
        }
        return refused;
    }

    /** The environment after the import: stored flags with the imported ones in their place, all segment ids. */
    private static ValidationScope scopeAfter(Snapshot current, Set<Integer> importedSegments,
                                              Map<String, FlagCandidate> flags) {
        Map<String, Set<String>> parentsByFlag = new HashMap<>();
        for (Flag flag : current.flags()) {
            parentsByFlag.put(flag.key(), RuleWrites.parents(flag));
        }
        flags.values().forEach(flag -> parentsByFlag.put(flag.key(), RuleWrites.parents(flag.body().get("dependencies"))));
        Set<String> withDependencies = new HashSet<>();
        Set<String> parents = new HashSet<>();
        parentsByFlag.forEach((key, own) -> {
            if (!own.isEmpty()) {
                withDependencies.add(key);
                parents.addAll(own);
            }
        });
        Set<Integer> segmentIds = new HashSet<>(importedSegments);
        current.segments().stream().map(Segment::id).forEach(segmentIds::add);
        return new ValidationScope(segmentIds, parentsByFlag.keySet(), withDependencies, parents);
    }
}
