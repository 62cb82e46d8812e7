package dev.flagsync.api;

/** The machine's load average for the api's tests and benchmarks: see {@link dev.flagsync.localstack.LoadAverage}. */
public final class LoadAverage {

    private LoadAverage() {
    }

    /** "1.23 0.98 0.76" (1, 5 and 15 minutes), or "unknown" off Linux. */
    public static String now() {
        return dev.flagsync.localstack.LoadAverage.now();
    }
}
