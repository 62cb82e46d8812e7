package dev.flagsync.evaluator.condition;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.List;
import java.util.Set;

/** IN / NOT_IN, STR_STARTS_WITH / ENDS_WITH / CONTAINS and REGEX, compiled. */
final class StringConditions {

    private StringConditions() {
    }

    /** IN: exact, case-sensitive match (the SDKs ignore {@code caseInsensitive} here); absent is not in. */
    static Condition in(ContextField field, List<String> values) {
        if (values.isEmpty()) {
            return Condition.NEVER;
        }
        if (values.size() == 1) {
            String only = values.get(0);
            return (context, host) -> only.equals(field.valueIn(context));
        }
        Set<String> set = Set.copyOf(values);
        return (context, host) -> {
            String value = field.valueIn(context);
            return value != null && set.contains(value);
        };
    }

    /** STR_*: any of the values; {@code caseInsensitive} compares without case, without allocating. */
    static Condition text(Operator operator, ContextField field, List<String> values, boolean ignoreCase) {
        String[] needles = values.toArray(String[]::new);
        return (context, host) -> {
            String value = field.valueIn(context);
            if (value == null) {
                return false;
            }
            for (String needle : needles) {
                if (matches(operator, value, needle, ignoreCase)) {
                    return true;
                }
            }
            return false;
        };
    }

    private static boolean matches(Operator operator, String value, String needle, boolean ignoreCase) {
        int room = value.length() - needle.length();
        if (room < 0) {
            return false;
        }
        return switch (operator) {
            case STR_STARTS_WITH -> value.regionMatches(ignoreCase, 0, needle, 0, needle.length());
            case STR_ENDS_WITH -> value.regionMatches(ignoreCase, room, needle, 0, needle.length());
            default -> contains(value, needle, ignoreCase, room);
        };
    }

    private static boolean contains(String value, String needle, boolean ignoreCase, int room) {
        if (!ignoreCase) {
            return value.contains(needle);
        }
        for (int i = 0; i <= room; i++) {
            if (value.regionMatches(true, i, needle, 0, needle.length())) {
                return true;
            }
        }
        return false;
    }

    /** REGEX: RE2 syntax and semantics (re2j), unanchored ({@code find}); a bad pattern is false. */
    static Condition regex(ContextField field, String pattern, boolean ignoreCase, String path, Warnings warnings) {
        if (pattern == null) {
            warnings.warn(path, "REGEX needs a \"value\": the constraint evaluates false");
            return Condition.NEVER;
        }
        Pattern compiled;
        try {
            compiled = Pattern.compile(pattern, ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
        } catch (PatternSyntaxException e) {
            warnings.warn(path, "not an RE2 pattern (" + e.getDescription() + "): the constraint evaluates false");
            return Condition.NEVER;
        }
        return (context, host) -> {
            String value = field.valueIn(context);
            return value != null && compiled.matcher(value).find();
        };
    }
}
