package io.ailurus.core.metadata;

/**
 * The leader of a replicated partition as its leader reported it to the controller: which broker and
 * in which Raft term (the Kafka leader epoch). A report only replaces an older term's.
 */
public record PartitionLeader(int nodeId, int epoch) {}
