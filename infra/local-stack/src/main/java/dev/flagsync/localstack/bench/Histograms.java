package dev.flagsync.localstack.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The buckets of one labelled Prometheus histogram as a process's /metrics showed them, so a
 * benchmark can subtract two scrapes and read percentiles of what happened in between, as
 * PromQL's {@code histogram_quantile} would (linear within a bucket): an estimate within one
 * bucket's width (Micrometer's buckets are about 10 % apart).
 */
public final class Histograms {

    private static final Pattern BUCKET = Pattern.compile("^(\\w+)_bucket\\{(.*)\\} (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    /** Per value of the chosen label, cumulative count by upper bound (seconds). */
    private final Map<String, TreeMap<Double, Double>> series;

    private Histograms(Map<String, TreeMap<Double, Double>> series) {
        this.series = series;
    }

    /** The buckets of {@code metric} (e.g. flagsync_propagation_stage_seconds), keyed by {@code label}. */
    public static Histograms parse(String prometheusText, String metric, String label) {
        Map<String, TreeMap<Double, Double>> series = new HashMap<>();
        for (String line : prometheusText.split("\n")) {
            Matcher bucket = BUCKET.matcher(line.trim());
            if (!bucket.matches() || !bucket.group(1).equals(metric)) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            Matcher pair = LABEL.matcher(bucket.group(2));
            while (pair.find()) {
                labels.put(pair.group(1), pair.group(2));
            }
            String le = labels.get("le");
            String key = labels.get(label);
            if (le == null || key == null) {
                continue;
            }
            double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
            series.computeIfAbsent(key, k -> new TreeMap<>()).merge(bound, Double.parseDouble(bucket.group(3)), Double::sum);
        }
        return new Histograms(series);
    }

    /** What was recorded after {@code before} was scraped. */
    public Histograms since(Histograms before) {
        Map<String, TreeMap<Double, Double>> delta = new HashMap<>();
        series.forEach((key, buckets) -> {
            TreeMap<Double, Double> earlier = before.series.getOrDefault(key, new TreeMap<>());
            TreeMap<Double, Double> difference = new TreeMap<>();
            buckets.forEach((bound, count) -> difference.put(bound, count - earlier.getOrDefault(bound, 0.0)));
            delta.put(key, difference);
        });
        return new Histograms(delta);
    }

    public List<String> keys() {
        return new ArrayList<>(series.keySet());
    }

    public long count(String key) {
        TreeMap<Double, Double> buckets = series.get(key);
        return buckets == null || buckets.isEmpty() ? 0 : Math.round(buckets.lastEntry().getValue());
    }

    /** The {@code q} quantile in milliseconds, NaN when nothing was recorded. */
    public double quantileMillis(String key, double q) {
        TreeMap<Double, Double> buckets = series.get(key);
        long total = count(key);
        if (total == 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound * 1000; // beyond the largest bound: the bound is all we know
                }
                double inBucket = bucket.getValue() - lowerCount;
                double fraction = inBucket == 0 ? 1 : (rank - lowerCount) / inBucket;
                return (lowerBound + (bucket.getKey() - lowerBound) * fraction) * 1000;
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return lowerBound * 1000;
    }

    /** The value of one plain sample such as {@code flagsync_sync_rewarms_total{trigger="change"}}, 0 when absent. */
    public static double sample(String prometheusText, String name) {
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return 0;
    }
}
