package dev.flagsync.evaluator.model;

/** A segment whose JSON could not be read; strategies that use it evaluate false, as for a missing one. */
public record UnreadableSegment(int id, String reason) implements SegmentSource {
}
