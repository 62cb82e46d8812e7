package dev.flagsync.shared.flag;

import java.util.regex.Pattern;

/** The formats of environment names and flag keys (contract section 1), checked before any I/O. */
public final class FlagNames {

    private static final Pattern ENVIRONMENT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private FlagNames() {
    }

    public static boolean isEnvironment(String value) {
        return value != null && ENVIRONMENT.matcher(value).matches();
    }

    public static boolean isKey(String value) {
        return value != null && KEY.matcher(value).matches();
    }

    public static String requireEnvironment(String value) {
        if (!isEnvironment(value)) {
            throw new InvalidFlagException("environment must match " + ENVIRONMENT.pattern() + ", was " + quoted(value));
        }
        return value;
    }

    public static String requireKey(String value) {
        if (!isKey(value)) {
            throw new InvalidFlagException("flag key must match " + KEY.pattern() + ", was " + quoted(value));
        }
        return value;
    }

    private static String quoted(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return '"' + shown + '"';
    }
}
