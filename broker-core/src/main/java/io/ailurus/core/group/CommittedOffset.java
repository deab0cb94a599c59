package io.ailurus.core.group;

/**
 * An offset committed by a group for one partition, as OffsetFetch returns it: the offset, the
 * leader epoch and metadata string exactly as the committer sent them, and when it was committed
 * (the proposer's clock, so every controller replica stores the same value; retention uses it).
 */
public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestamp) {}
