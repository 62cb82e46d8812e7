package dev.flagsync.evaluator.condition;

import java.util.List;

/**
 * A version as Semantic Versioning 2.0.0 defines it ({@code 1.2.3-rc.1+build}), compared by
 * precedence: build metadata is ignored, a pre-release sorts before its release, numeric
 * identifiers numerically and below alphanumeric ones. Strict, as Unleash requires: no leading
 * {@code v} or {@code =}, no leading zeros, no surrounding whitespace.
 */
public final class SemanticVersion implements Comparable<SemanticVersion> {

    private final long major;
    private final long minor;
    private final long patch;
    private final List<String> preRelease;

    private SemanticVersion(long major, long minor, long patch, List<String> preRelease) {
        this.major = major;
        this.minor = minor;
        this.patch = patch;
        this.preRelease = preRelease;
    }

    /** The version, or null when {@code text} is not a valid semantic version. */
    public static SemanticVersion parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        int plus = text.indexOf('+');
        if (plus >= 0 && !identifiers(text.substring(plus + 1), false)) {
            return null;
        }
        String version = plus >= 0 ? text.substring(0, plus) : text;
        int dash = version.indexOf('-');
        String core = dash >= 0 ? version.substring(0, dash) : version;
        List<String> preRelease = List.of();
        if (dash >= 0) {
            String tail = version.substring(dash + 1);
            if (!identifiers(tail, true)) {
                return null;
            }
            preRelease = List.of(tail.split("\\.", -1));
        }
        String[] parts = core.split("\\.", -1);
        if (parts.length != 3 || !isNumber(parts[0]) || !isNumber(parts[1]) || !isNumber(parts[2])) {
            return null;
        }
        try {
            return new SemanticVersion(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]),
                    preRelease);
        } catch (NumberFormatException tooLarge) {
            return null;
        }
    }

    @Override
    public int compareTo(SemanticVersion other) {
        int c = Long.compare(major, other.major);
        if (c == 0) {
            c = Long.compare(minor, other.minor);
        }
        if (c == 0) {
            c = Long.compare(patch, other.patch);
        }
        return c != 0 ? c : comparePreRelease(preRelease, other.preRelease);
    }

    private static int comparePreRelease(List<String> a, List<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return Boolean.compare(a.isEmpty(), b.isEmpty()); // a release is above its pre-releases
        }
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = compareIdentifier(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compareIdentifier(String a, String b) {
        boolean numericA = isDigits(a);
        boolean numericB = isDigits(b);
        if (numericA && numericB) {
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }
        if (numericA != numericB) {
            return numericA ? -1 : 1;
        }
        return a.compareTo(b);
    }

    /** Dot-separated non-empty identifiers of [0-9A-Za-z-]; pre-release numbers have no leading zero. */
    private static boolean identifiers(String text, boolean noLeadingZeros) {
        for (String id : text.split("\\.", -1)) {
            if (id.isEmpty() || !id.chars().allMatch(c -> c == '-' || Character.isLetterOrDigit(c) && c < 128)) {
                return false;
            }
            if (noLeadingZeros && isDigits(id) && id.length() > 1 && id.charAt(0) == '0') {
                return false;
            }
        }
        return true;
    }

    private static boolean isNumber(String part) {
        return isDigits(part) && (part.length() == 1 || part.charAt(0) != '0');
    }

    private static boolean isDigits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SemanticVersion v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(major * 31 * 31 + minor * 31 + patch) * 31 + preRelease.hashCode();
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (preRelease.isEmpty() ? "" : "-" + String.join(".", preRelease));
    }
}
