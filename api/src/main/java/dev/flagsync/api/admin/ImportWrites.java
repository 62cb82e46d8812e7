package dev.flagsync.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flagsync.api.admin.ImportPlan.FlagCandidate;
import dev.flagsync.api.admin.ImportPlan.Refusal;
import dev.flagsync.api.admin.ImportPlan.SegmentCandidate;
import dev.flagsync.evaluator.model.RuleJson;
import dev.flagsync.evaluator.model.UnreadableFeature;
import dev.flagsync.evaluator.model.UnreadableSegment;
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
import java.util.Locale;
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

    /**
     * How strictly imported rules are checked. {@code STRICT} refuses whatever an admin write
     * refuses. {@code LENIENT} also stores what the lenient read path evaluates as Unleash does
     * (an unknown operator or strategy, an invalid address, pattern or version, a missing segment:
     * each false or skipped), reporting each such error as a warning; it still refuses what cannot
     * be read at all, a wrong key, and dependencies that are not one level deep or name no flag,
     * since those would leave the environment in a state admin writes could not change.
     */
    public enum Strictness {
        STRICT, LENIENT
    }

    /** @param planner turns the environment as stored into what to write (e.g. to map segment names to ids) */
    public ImportPlan.Outcome importAll(FlagStore writer, String environment, Function<Snapshot, ImportPlan> planner,
                                        Strictness strictness, boolean dryRun) {
        try {
            return writer.inTransaction(environment, (current, transaction) -> {
                ImportPlan plan = planner.apply(current);
                ImportPlan.Outcome outcome = new Check(strictness).write(transaction, environment, current, plan, dryRun);
                if (dryRun) {
                    throw new DryRun(outcome);
                }
                return outcome;
            });
        } catch (DryRun rolledBack) {
            return rolledBack.outcome;
        }
    }

    /** One import's check: what it refused and, when lenient, what it stored despite errors. */
    private static final class Check {

        private final Strictness strictness;
        private final List<Refusal> refused = new ArrayList<>();
        private final List<Refusal> warnings = new ArrayList<>();

        Check(Strictness strictness) {
            this.strictness = strictness;
        }

        ImportPlan.Outcome write(FlagStore transaction, String environment, Snapshot current, ImportPlan plan, boolean dryRun) {
            refused.addAll(plan.refused());
            Map<Integer, SegmentCandidate> segments = new LinkedHashMap<>();
            for (SegmentCandidate segment : plan.segments()) {
                List<ValidationError> errors = new ArrayList<>(RuleValidator.validateSegment(segment.body()));
                errors.addAll(RuleWrites.description(segment.body()));
                errors.addAll(RuleWrites.nulCharacters(segment.body(), "$"));
                if (accept("segment", Integer.toString(segment.id()), errors, lenientSegment(segment))) {
                    segments.put(segment.id(), segment);
                }
            }
            Map<String, FlagCandidate> flags = new LinkedHashMap<>();
            for (FlagCandidate flag : plan.flags()) {
                if (accept("flag", flag.key(), RuleWrites.flagFields(flag.body()), false)) {
                    flags.put(flag.key(), flag);
                }
            }
            checkUntilStable(current, segments.keySet(), flags);

            for (SegmentCandidate segment : segments.values()) {
                transaction.upsertSegment(environment, segment.id(), RuleWrites.segmentUpdate(segment.body()), WriteCheck.NONE);
            }
            for (FlagCandidate flag : flags.values()) {
                transaction.upsert(environment, flag.key(), FlagJson.readUpdate(flag.body()), WriteCheck.NONE);
            }
            return new ImportPlan.Outcome(environment, plan.format(), strictness.name().toLowerCase(Locale.ROOT), dryRun,
                    new ImportPlan.Imported(List.copyOf(segments.keySet()), List.copyOf(flags.keySet())), refused, warnings,
                    plan.ignored());
        }

        /** True to store it; records it as refused, or (errors it may be stored with) as a warning. */
        private boolean accept(String kind, String name, List<ValidationError> errors, boolean tolerable) {
            if (errors.isEmpty()) {
                return true;
            }
            if (strictness == Strictness.LENIENT && tolerable) {
                warnings.add(new Refusal(kind, name, errors));
                return true;
            }
            refused.add(new Refusal(kind, name, errors));
            return false;
        }

        /**
         * Checks the flags against the scope after the import, removing the refused from
         * {@code flags}. Flags that depend on a flag with dependencies of its own are judged first,
         * alone: leaving them out can make their parent acceptable again (a chain of three keeps
         * its first two links, as Unleash's SDKs would evaluate them; a cycle loses both).
         */
        private void checkUntilStable(Snapshot current, Set<Integer> importedSegments, Map<String, FlagCandidate> flags) {
            boolean changed = true;
            while (changed && !flags.isEmpty()) {
                changed = false;
                warnings.removeIf(warning -> warning.kind().equals("flag"));
                ValidationScope scope = scopeAfter(current, importedSegments, flags);
                List<FlagCandidate> deep = flags.values().stream().filter(flag -> RuleWrites.parents(flag.body().get("dependencies"))
                        .stream().anyMatch(scope.flagsWithDependencies()::contains)).toList();
                for (FlagCandidate flag : deep.isEmpty() ? List.copyOf(flags.values()) : deep) {
                    List<ValidationError> errors = RuleValidator.validateFeature(flag.key(), flag.body(), scope);
                    if (!accept("flag", flag.key(), errors, lenientFlag(flag, errors))) {
                        flags.remove(flag.key());
                        changed = true;
                    }
                }
            }
        }
    }

    /** Errors the lenient read path evaluates as Unleash does: none about the key or dependencies, and readable. */
    private static boolean lenientFlag(FlagCandidate flag, List<ValidationError> errors) {
        boolean structural = errors.stream().map(ValidationError::path).anyMatch(path -> path.equals("$")
                || path.startsWith("$.name") || path.startsWith("$.dependencies") || path.startsWith("$.rolloutPercentage"));
        ObjectNode named = flag.body().deepCopy();
        named.put("name", flag.key());
        return !structural && !(RuleJson.readFeature(named) instanceof UnreadableFeature);
    }

    /** A segment the lenient read path can use: a name and an array of constraints. */
    private static boolean lenientSegment(SegmentCandidate segment) {
        JsonNode name = segment.body().get("name");
        return name != null && name.isTextual() && !name.textValue().isBlank()
                && segment.body().path("constraints").isArray()
                && RuleWrites.description(segment.body()).isEmpty()
                && RuleWrites.nulCharacters(segment.body(), "$").isEmpty()
                && !(RuleJson.readSegment(segmentWithId(segment)) instanceof UnreadableSegment);
    }

    private static JsonNode segmentWithId(SegmentCandidate segment) {
        ObjectNode withId = segment.body().deepCopy();
        withId.put("id", segment.id());
        return withId;
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
