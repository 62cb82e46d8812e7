package dev.flagsync.systemtests.chaos;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * When readers first saw each version of each environment: every GET answer and every SSE frame
 * reports the version it carried and when it arrived, and a version newer than any seen before
 * is recorded. A change has reached readers when some reader was given its version or a later
 * one (a snapshot holds every change up to its version).
 */
final class Sightings {

    private final Map<String, Environment> environments;

    Sightings(List<String> environments) {
        this.environments = environments.stream().collect(Collectors.toUnmodifiableMap(Function.identity(),
                environment -> new Environment()));
    }

    void saw(String environment, long version, long nanos) {
        environments.get(environment).saw(version, nanos);
    }

    /** The newest version any reader has been given. */
    long newest(String environment) {
        return environments.get(environment).newest();
    }

    /** Whether readers have seen at least these versions. */
    boolean reached(Map<String, Long> versions) {
        return versions.entrySet().stream().allMatch(entry -> newest(entry.getKey()) >= entry.getValue());
    }

    /** The first moment a reader was given this version or a later one. */
    OptionalLong firstAtLeast(String environment, long version) {
        return environments.get(environment).firstAtLeast(version);
    }

    private static final class Environment {
        private long[] versions = new long[1024];
        private long[] nanos = new long[1024];
        private int size;
        private long[] earliestFrom; // earliestFrom[i]: min nanos over i..size-1, rebuilt when stale
        private int earliestSize = -1;

        synchronized void saw(long version, long at) {
            if (size > 0 && version <= versions[size - 1]) {
                return;
            }
            if (size == versions.length) {
                versions = Arrays.copyOf(versions, size * 2);
                nanos = Arrays.copyOf(nanos, size * 2);
            }
            versions[size] = version;
            nanos[size] = at;
            size++;
        }

        synchronized long newest() {
            return size == 0 ? -1 : versions[size - 1];
        }

        /**
         * Entries rise in version, but two readers may report out of order in time (the later
         * version read first, reported second), so the earliest arrival among all versions at
         * least this one is the answer, not the first entry's.
         */
        synchronized OptionalLong firstAtLeast(long version) {
            int index = Arrays.binarySearch(versions, 0, size, version);
            int from = index >= 0 ? index : -index - 1;
            if (from >= size) {
                return OptionalLong.empty();
            }
            if (earliestSize != size) {
                earliestFrom = new long[size];
                long min = Long.MAX_VALUE;
                for (int i = size - 1; i >= 0; i--) {
                    min = Math.min(min, nanos[i]);
                    earliestFrom[i] = min;
                }
                earliestSize = size;
            }
            return OptionalLong.of(earliestFrom[from]);
        }
    }
}
