package io.ailurus.core.metadata;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Map;

/**
 * A change to cluster metadata, proposed to the controller Raft group and applied in log order on
 * every controller replica. Everything an apply needs (topic ids, replica placement) is decided by
 * the proposer, so applying is deterministic.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = MetadataCommand.InitializeCluster.class, name = "initialize_cluster"),
    @JsonSubTypes.Type(value = MetadataCommand.RegisterBroker.class, name = "register_broker"),
    @JsonSubTypes.Type(value = MetadataCommand.CreateTopic.class, name = "create_topic"),
    @JsonSubTypes.Type(value = MetadataCommand.DeleteTopic.class, name = "delete_topic"),
    @JsonSubTypes.Type(value = MetadataCommand.CreatePartitions.class, name = "create_partitions"),
    @JsonSubTypes.Type(value = MetadataCommand.AlterTopicConfig.class, name = "alter_topic_config"),
    @JsonSubTypes.Type(value = MetadataCommand.AlterClusterConfig.class, name = "alter_cluster_config"),
    @JsonSubTypes.Type(value = MetadataCommand.AllocateProducerIds.class, name = "allocate_producer_ids"),
})
public sealed interface MetadataCommand {

    /** Names the cluster once, when it is first formed; later ones are ignored (the first id sticks). */
    record InitializeCluster(String clusterId) implements MetadataCommand {}

    /** A broker announces (or re-announces) itself and the address clients should use. */
    record RegisterBroker(int nodeId, String host, int port, String rack, String rpcAddress) implements MetadataCommand {}

    /** {@code assignments.get(p)} lists partition p's replicas, preferred leader first. */
    record CreateTopic(String name, String topicId, List<List<Integer>> assignments, Map<String, String> configs)
        implements MetadataCommand {}

    record DeleteTopic(String name) implements MetadataCommand {}

    /** Adds partitions to {@code name}; {@code newAssignments} are for the new partitions only, in order. */
    record CreatePartitions(String name, List<List<Integer>> newAssignments) implements MetadataCommand {}

    /** Sets and removes dynamic topic configs; a null or empty value in {@code set} is not allowed. */
    record AlterTopicConfig(String name, Map<String, String> set, List<String> remove) implements MetadataCommand {}

    record AlterClusterConfig(Map<String, String> set, List<String> remove) implements MetadataCommand {}

    /** Reserves the next {@code count} producer ids for {@code nodeId}'s InitProducerId answers. */
    record AllocateProducerIds(int nodeId, int count) implements MetadataCommand {}
}
