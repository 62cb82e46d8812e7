package dev.flagsync.api.admin;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flagsync.evaluator.validate.ValidationError;
import java.util.List;

/**
 * What an import asks to write into one environment, in the admin API's own shapes, before the
 * strict check: segments ({@code name}, {@code description}, {@code constraints}) and flags
 * ({@code enabled}, {@code description}, {@code impressionData}, {@code strategies},
 * {@code variants}, {@code dependencies}), plus what the source had that could not even become a
 * candidate, and the fields that were left out (by field, how often, and why).
 */
public record ImportPlan(String format, List<SegmentCandidate> segments, List<FlagCandidate> flags,
                         List<Refusal> refused, List<Ignored> ignored) {

    public ImportPlan {
        segments = List.copyOf(segments);
        flags = List.copyOf(flags);
        refused = List.copyOf(refused);
        ignored = List.copyOf(ignored);
    }

    public record SegmentCandidate(int id, ObjectNode body) {
    }

    public record FlagCandidate(String key, ObjectNode body) {
    }

    /** A flag or segment not taken: {@code kind} is "flag" or "segment", {@code name} its key or id. */
    public record Refusal(String kind, String name, List<ValidationError> errors) {

        public Refusal {
            errors = List.copyOf(errors);
        }

        public static Refusal of(String kind, String name, String path, String message) {
            return new Refusal(kind, name, List.of(new ValidationError(path, message)));
        }
    }

    /** A field of the source that flagsync does not keep; {@code count} is how many elements had it. */
    public record Ignored(String field, int count, String why) {
    }

    /**
     * What an import did (or, in a dry run, would do); serialised as the import's answer.
     * {@code warnings} are flags and segments stored despite errors (lenient validation only).
     */
    @JsonPropertyOrder({"environment", "format", "validation", "dryRun", "imported", "refused", "warnings", "ignored"})
    public record Outcome(String environment, String format, String validation, boolean dryRun, Imported imported,
                          List<Refusal> refused, List<Refusal> warnings, List<Ignored> ignored) {
    }

    /** Segment ids and flag keys written, in the order written. */
    public record Imported(List<Integer> segments, List<String> flags) {
    }
}
