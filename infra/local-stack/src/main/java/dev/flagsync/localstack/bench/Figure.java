package dev.flagsync.localstack.bench;

import dev.flagsync.localstack.LoadAverage;
import java.util.Locale;

/**
 * One measured figure as a benchmark prints it for bin/bench, which gathers every such line of a
 * run into one table: {@code FIGURE|name|value|unit|target|load average}, the target as
 * {@code <= 60} or {@code >= 0.8} (empty when the figure has none), the 1-minute load average
 * read when the figure was taken.
 */
public final class Figure {

    private Figure() {
    }

    /** Prints the figure; {@code target} like "<= 60", or "" for none. */
    public static void print(String name, double value, String unit, String target) {
        System.out.println(String.format(Locale.ROOT, "FIGURE|%s|%s|%s|%s|%s", name, format(value), unit, target,
                loadAverage()));
    }

    private static String format(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "n/a";
        }
        return value >= 100 || value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    /** The 1-minute load average, "unknown" off Linux. */
    public static String loadAverage() {
        return LoadAverage.now().split(" ")[0];
    }
}
