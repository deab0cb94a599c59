package io.ailurus.storage;

/**
 * What a sealed segment's index file records about the segment when it was closed, so that reopening needs no scan:
 * its exact length and the state at its end.
 */
record SealInfo(long segmentLength, long baseIndex, long lastIndex, long lastTerm, long startOffset, long nextOffset,
                long maxTimestamp, long maxTimestampOffset) {
}
