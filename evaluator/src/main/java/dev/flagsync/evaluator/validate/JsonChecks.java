package dev.flagsync.evaluator.validate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Collects validation errors while reading JSON by hand, so each error carries its JSON path. */
final class JsonChecks {

    private final List<ValidationError> errors = new ArrayList<>();

    void error(String path, String message) {
        errors.add(new ValidationError(path, message));
    }

    List<ValidationError> errors() {
        return List.copyOf(errors);
    }

    boolean object(JsonNode node, String path, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            error(path, "must be a JSON object");
            return false;
        }
        Set<String> unknown = new TreeSet<>();
        node.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                unknown.add(name);
            }
        });
        unknown.forEach(name -> error(path + "." + name, "unknown property (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")"));
        return true;
    }

    /** The field's value, or null when absent or null (then an error if {@code required}). */
    private JsonNode present(JsonNode object, String field, String path, boolean required) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                error(path + "." + field, "is required");
            }
            return null;
        }
        return value;
    }

    /** The field's text; null (with an error if {@code required}) when absent, and an error when not a string. */
    String string(JsonNode object, String field, String path, boolean required) {
        JsonNode value = present(object, field, path, required);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            error(path + "." + field, "must be a string");
            return null;
        }
        return value.textValue();
    }

    String nonEmptyString(JsonNode object, String field, String path, boolean required) {
        String value = string(object, field, path, required);
        if (value != null && value.isBlank()) {
            error(path + "." + field, "must not be empty");
            return null;
        }
        return value;
    }

    void optionalBoolean(JsonNode object, String field, String path) {
        JsonNode value = object.get(field);
        if (value != null && !value.isNull() && !value.isBoolean()) {
            error(path + "." + field, "must be true or false");
        }
    }

    /** The field as an integer within [min, max]; null when absent (an error if required) or invalid. */
    Integer integer(JsonNode object, String field, String path, int min, int max, boolean required) {
        JsonNode value = present(object, field, path, required);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            error(path + "." + field, "must be an integer from " + min + " to " + max);
            return null;
        }
        return value.intValue();
    }

    /** The field as an array; null when absent or null (an error if required), or not an array. */
    JsonNode array(JsonNode object, String field, String path, boolean required) {
        JsonNode value = present(object, field, path, required);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            error(path + "." + field, "must be an array");
            return null;
        }
        return value;
    }

    /** The field as a list of strings (every element checked); null when absent or invalid. */
    List<String> strings(JsonNode object, String field, String path, boolean required) {
        JsonNode array = array(object, field, path, required);
        if (array == null) {
            return null;
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (array.get(i).isTextual()) {
                values.add(array.get(i).textValue());
            } else {
                error(path + "." + field + "[" + i + "]", "must be a string");
            }
        }
        return values;
    }
}
