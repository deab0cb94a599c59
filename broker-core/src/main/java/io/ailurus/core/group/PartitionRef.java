package io.ailurus.core.group;

/** A topic partition by name, in the JSON form controller commands are stored in. */
public record PartitionRef(String topic, int partition) {}
