package dev.flagsync.worker.sync;

import java.util.HashSet;
import java.util.Set;

/**
 * A PostgreSQL snapshot in the text form of {@code pg_current_snapshot()}, {@code xmin:xmax:xip,...}
 * (full 64-bit transaction ids), and whether a transaction had completed when it was taken. Pure,
 * so the wraparound arithmetic is unit-tested.
 */
record XidSnapshot(long xmin, long xmax, Set<Long> inProgress) {

    private static final long XID_SPACE = 1L << 32;

    XidSnapshot {
        inProgress = Set.copyOf(inProgress);
    }

    static XidSnapshot parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a snapshot (xmin:xmax:xip_list): " + text);
        }
        Set<Long> inProgress = new HashSet<>();
        if (!parts[2].isEmpty()) {
            for (String xid : parts[2].split(",")) {
                inProgress.add(Long.parseLong(xid));
            }
        }
        return new XidSnapshot(Long.parseLong(parts[0]), Long.parseLong(parts[1]), inProgress);
    }

    /**
     * Whether the transaction of this 32-bit xid (what logical decoding reports) had completed
     * before the snapshot: it is read as the full id nearest to xmax, as PostgreSQL compares xids
     * (within 2^31 either side), so an id a little ahead of xmax is still running, not an old one.
     */
    boolean completed(long xid32) {
        long low = xmax & (XID_SPACE - 1);
        long ahead = Math.floorMod(xid32 - low + (XID_SPACE >> 1), XID_SPACE) - (XID_SPACE >> 1);
        long full = xmax + ahead;
        return full < xmin || (full < xmax && !inProgress.contains(full));
    }
}
