package dev.flagsync.evaluator.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link EvaluatorBenchmark} and prints each figure with the load average beside it and the
 * targeted flag's cost as a multiple of the legacy flag's, measured in the same run.
 * {@code bin/bench-evaluator [forks, default 2]}.
 */
public final class EvaluatorBenchmarkMain {

    private EvaluatorBenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException {
        int forks = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        double loadBefore = loadAverage();
        Options options = new OptionsBuilder()
                .include(EvaluatorBenchmark.class.getName())
                .forks(forks)
                .warmupIterations(5).warmupTime(TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend("-Xmx512m")
                .build();
        Collection<RunResult> results = new Runner(options).run();
        double loadAfter = loadAverage();
        double targeted = score(results, "targetedFlag").getScore();
        double withRegex = score(results, "targetedFlagWithRegex").getScore();
        double legacy = score(results, "legacyFlag").getScore();
        System.out.printf("%nflagsync evaluator, %d forks x 5 x 1 s, %s, %d CPUs%n", forks,
                System.getProperty("java.vm.name") + " " + Runtime.version(), Runtime.getRuntime().availableProcessors());
        System.out.printf("  targeted flag (3 strategies x 3 constraints + 3 variants): %8.1f ns/op%n", targeted);
        System.out.printf("  the same with one constraint a REGEX (re2j):               %8.1f ns/op%n", withRegex);
        System.out.printf("  legacy flag (rolloutPercentage 50):                         %8.1f ns/op%n", legacy);
        System.out.printf("  (99.9 %% intervals: +-%.1f, +-%.1f, +-%.1f ns)%n", score(results, "targetedFlag").getScoreError(),
                score(results, "targetedFlagWithRegex").getScoreError(), score(results, "legacyFlag").getScoreError());
        System.out.printf("  targeted / legacy: %.1fx; target <= 2000 ns/op: %s%n", targeted / legacy,
                targeted <= 2000 ? "met" : "MISSED");
        System.out.printf("  load average (1 min): %.2f before, %.2f after%n", loadBefore, loadAfter);
    }

    private static Result<?> score(Collection<RunResult> results, String method) {
        return results.stream()
                .filter(r -> r.getParams().getBenchmark().endsWith("." + method))
                .findFirst().orElseThrow(() -> new IllegalStateException("no result for " + method))
                .getPrimaryResult();
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
