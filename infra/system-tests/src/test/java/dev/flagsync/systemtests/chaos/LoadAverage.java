package dev.flagsync.systemtests.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's load average, printed beside every figure: these machines are shared. */
final class LoadAverage {

    private LoadAverage() {
    }

    /** The 1-minute load average, or NaN where /proc/loadavg is missing. */
    static double oneMinute() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
