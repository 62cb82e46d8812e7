package dev.flagsync.api.access;

/** What a read shows: raw flags and rules (snapshots, their stream), or evaluated answers (OFREP). */
public enum View {
    RAW, EVALUATED
}
