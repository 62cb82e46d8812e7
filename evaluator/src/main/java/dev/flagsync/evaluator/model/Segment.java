package dev.flagsync.evaluator.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A reusable list of constraints ("global constraints"), referenced from strategies by id. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Segment(int id, String name, String description, List<Constraint> constraints)
        implements SegmentSource {

    public Segment {
        constraints = Lists.copyOf(constraints);
    }

    public static Segment of(int id, String name, List<Constraint> constraints) {
        return new Segment(id, name, null, constraints);
    }
}
