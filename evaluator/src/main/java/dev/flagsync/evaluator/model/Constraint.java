package dev.flagsync.evaluator.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One condition on a context field. List operators (IN, NOT_IN, STR_*, IN_CIDR) read {@code values};
 * the others (NUM_*, DATE_*, SEMVER_*, REGEX) read {@code value}. The operator stays a string so an
 * unknown one can be read and then evaluate false, as the Unleash specification demands.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Constraint(
        String contextName,
        String operator,
        List<String> values,
        String value,
        boolean caseInsensitive,
        boolean inverted) {

    public Constraint {
        values = Lists.copyOf(values);
    }

    public static Constraint of(String contextName, String operator, List<String> values) {
        return new Constraint(contextName, operator, values, null, false, false);
    }

    public static Constraint of(String contextName, String operator, String value) {
        return new Constraint(contextName, operator, null, value, false, false);
    }
}
