package dev.flagsync.shared.flag;

import java.util.regex.Pattern;

/**
 * The formats of environment names (contract section 1) and flag keys (section 6: Unleash's flag
 * names), checked before any I/O. The database's check constraints enforce the same rules, so a
 * row that PostgreSQL accepts always makes a valid {@link Flag}.
 */
public final class FlagNames {

    /** Flag keys are at most this many characters (Unicode code points, as PostgreSQL's char_length). */
    public static final int MAX_KEY_LENGTH = 255;
    static final String KEY_RULE = "1 to " + MAX_KEY_LENGTH + " characters, no control characters, no '/'";

    private static final Pattern ENVIRONMENT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    private FlagNames() {
    }

    public static boolean isEnvironment(String value) {
        return value != null && ENVIRONMENT.matcher(value).matches();
    }

    /** Unleash's rule, UTF-8 names included: 1–255 characters, none a control character (Character.isISOControl) or '/'. */
    public static boolean isKey(String value) {
        if (value == null || value.isEmpty() || value.codePointCount(0, value.length()) > MAX_KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }

    public static String requireEnvironment(String value) {
        if (!isEnvironment(value)) {
            throw new InvalidFlagException("environment must match " + ENVIRONMENT.pattern() + ", was " + quoted(value));
        }
        return value;
    }

    public static String requireKey(String value) {
        if (!isKey(value)) {
            throw new InvalidFlagException("flag key must be " + KEY_RULE + ", was " + quoted(value));
        }
        return value;
    }

    private static String quoted(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        // Control characters are why a key may be refused; shown escaped, they cannot forge log lines.
        StringBuilder escaped = new StringBuilder(shown.length() + 2).append('"');
        shown.chars().forEach(c -> escaped.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return escaped.append('"').toString();
    }
}
