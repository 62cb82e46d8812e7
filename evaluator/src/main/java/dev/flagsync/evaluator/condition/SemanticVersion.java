package dev.flagsync.evaluator.condition;

import java.util.ArrayList;
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

    /** The version, or null when {@code text} is not a valid semantic version. One pass, no regex: it runs per request. */
    public static SemanticVersion parse(String text) {
        if (text == null) {
            return null;
        }
        int n = text.length();
        int i = 0;
        long[] core = new long[3];
        for (int part = 0; part < 3; part++) {
            int start = i;
            while (i < n && isDigit(text.charAt(i))) {
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 18 || digits > 1 && text.charAt(start) == '0') {
                return null;
            }
            core[part] = Long.parseLong(text, start, i, 10);
            if (part < 2) {
                if (i >= n || text.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        List<String> preRelease = List.of();
        if (i < n && text.charAt(i) == '-') {
            int plus = text.indexOf('+', i);
            int end = plus < 0 ? n : plus;
            preRelease = identifiers(text, i + 1, end, true);
            if (preRelease == null) {
                return null;
            }
            i = end;
        }
        if (i < n && (text.charAt(i) != '+' || identifiers(text, i + 1, n, false) == null)) {
            return null;
        }
        return new SemanticVersion(core[0], core[1], core[2], preRelease);
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

    /**
     * The dot-separated identifiers of {@code text[from, to)}: non-empty, of [0-9A-Za-z-], numeric
     * ones without a leading zero when {@code preRelease}. Null when any is malformed.
     */
    private static List<String> identifiers(String text, int from, int to, boolean preRelease) {
        List<String> ids = new ArrayList<>(2);
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i < to && text.charAt(i) != '.') {
                char c = text.charAt(i);
                if (!(isDigit(c) || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
                    return null;
                }
                continue;
            }
            String id = text.substring(start, i);
            if (id.isEmpty() || preRelease && id.length() > 1 && id.charAt(0) == '0' && isDigits(id)) {
                return null;
            }
            ids.add(id);
            start = i + 1;
        }
        return List.copyOf(ids);
    }

    private static boolean isDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
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
