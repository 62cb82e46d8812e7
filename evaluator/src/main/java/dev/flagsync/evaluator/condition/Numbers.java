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
        return isDecimal(s) ? Double.parseDouble(s) : Double.NaN;
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
