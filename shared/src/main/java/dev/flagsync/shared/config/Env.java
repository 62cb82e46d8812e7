package dev.flagsync.shared.config;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Typed, validated reads of the process environment. Every failure names the variable,
 * and never echoes its value (it may be a secret).
 */
public final class Env {

    private final Map<String, String> values;

    public Env(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    public String required(String name) {
        String value = raw(name);
        if (value == null) {
            throw new ConfigException(name + " is required but not set");
        }
        return value;
    }

    public String optional(String name, String fallback) {
        String value = raw(name);
        return value == null ? fallback : value;
    }

    public int integer(String name, int fallback, int min, int max) {
        String value = raw(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw new ConfigException(name + " must be a whole number from " + min + " to " + max);
    }

    /** A comma-separated list; blank entries are an error, since they usually mean a typo. */
    public List<String> list(String name) {
        String value = raw(name);
        if (value == null) {
            return List.of();
        }
        List<String> items = Arrays.stream(value.split(",", -1)).map(String::trim).toList();
        if (items.stream().anyMatch(String::isEmpty)) {
            throw new ConfigException(name + " must be a comma-separated list without empty entries");
        }
        return items;
    }

    /** Blank counts as unset, so that `FOO=` in a compose file does not become an empty value. */
    private String raw(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
