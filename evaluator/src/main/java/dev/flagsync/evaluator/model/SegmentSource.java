package dev.flagsync.evaluator.model;

/** What the compiler takes for one segment: a readable {@link Segment}, or the reason it is not one. */
public sealed interface SegmentSource permits Segment, UnreadableSegment {

    int id();
}
