package dev.flagsync.evaluator.condition;

/**
 * Decimal numbers as NUM_* constraints and percentages read them: an optional sign, digits with an
 * optional fraction, an optional exponent, surrounding whitespace allowed. Unlike
 * {@link Double#parseDouble} it refuses "NaN", "Infinity", hex and the {@code d}/{@code f} suffixes;
 * unlike JavaScript's {@code Number()} it reads an empty string as no number rather than 0.
 */
public final class Numbers {

    private Numbers() {
    }

    /** The number, or NaN when {@code text} is null or not a decimal number. */
    public static double parse(String text) {
        if (text == null) {
            return Double.NaN;
        }
        String s = text.strip();
        long integer = smallInteger(s);
        if (integer != NOT_SMALL) {
            return integer; // the common case ("42"), without Double.parseDouble's cost
        }
        return isDecimal(s) ? Double.parseDouble(s) : Double.NaN;
    }

    private static final long NOT_SMALL = Long.MIN_VALUE;

    /** An optionally signed integer of at most 15 digits (exact as a double), or NOT_SMALL. */
    private static long smallInteger(String s) {
        int n = s.length();
        int i = n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+') ? 1 : 0;
        if (n == i || n - i > 15) {
            return NOT_SMALL;
        }
        long value = 0;
        for (int j = i; j < n; j++) {
            char c = s.charAt(j);
            if (!isDigit(c)) {
                return NOT_SMALL;
            }
            value = value * 10 + (c - '0');
        }
        return s.charAt(0) == '-' ? -value : value;
    }

    private static boolean isDecimal(String s) {
        int i = 0;
        int n = s.length();
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponent = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                exponent++;
            }
            if (exponent == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
