package io.ailurus.core.group;

/** One partition's offset in an offset-commit command (what the client sent, topic by name). */
public record OffsetEntry(String topic, int partition, long offset, int leaderEpoch, String metadata) {}
