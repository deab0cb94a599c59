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
    @JsonSubTypes.Type(value = MetadataCommand.CommitOffsets.class, name = "commit_offsets"),
    @JsonSubTypes.Type(value = MetadataCommand.DeleteOffsets.class, name = "delete_offsets"),
    @JsonSubTypes.Type(value = MetadataCommand.PutGroup.class, name = "put_group"),
    @JsonSubTypes.Type(value = MetadataCommand.DeleteGroups.class, name = "delete_groups"),
    @JsonSubTypes.Type(value = MetadataCommand.SetBrokerLiveness.class, name = "set_broker_liveness"),
    @JsonSubTypes.Type(value = MetadataCommand.ReportLeaders.class, name = "report_leaders"),
    @JsonSubTypes.Type(value = MetadataCommand.ReassignPartition.class, name = "reassign_partition"),
    @JsonSubTypes.Type(value = MetadataCommand.CompleteReassignment.class, name = "complete_reassignment"),
    @JsonSubTypes.Type(value = MetadataCommand.SetBrokerDecommissioned.class, name = "set_broker_decommissioned"),
    @JsonSubTypes.Type(value = MetadataCommand.PutTransaction.class, name = "put_transaction"),
    @JsonSubTypes.Type(value = MetadataCommand.DeleteTransaction.class, name = "delete_transaction"),
    @JsonSubTypes.Type(value = MetadataCommand.CommitTxnOffsets.class, name = "commit_txn_offsets"),
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

    /**
     * Consumer-group commands: applied to the {@link io.ailurus.core.group.GroupStore}, not to the
     * image, so they neither copy the image nor wake the image's listeners (commits are frequent).
     */
    sealed interface GroupCommand extends MetadataCommand {}

    /** One OffsetCommit request's offsets for one group, stamped with the proposer's clock. */
    record CommitOffsets(String groupId, List<io.ailurus.core.group.OffsetEntry> offsets, long timestamp)
        implements GroupCommand {}

    /** OffsetDelete, and expiry of old offsets of empty groups. */
    record DeleteOffsets(String groupId, List<io.ailurus.core.group.PartitionRef> partitions) implements GroupCommand {}

    /** A classic group's stable generation (or a consumer group's existence), replacing what was stored. */
    record PutGroup(io.ailurus.core.group.PersistedGroup group) implements GroupCommand {}

    /** DeleteGroups, and expiry of empty groups without offsets: metadata and offsets go. */
    record DeleteGroups(List<String> groupIds) implements GroupCommand {}

    /** The controller leader's failure detector: a broker stopped (or resumed) heartbeating. */
    record SetBrokerLiveness(int nodeId, boolean alive) implements MetadataCommand {}

    /** A broker reports the replicated partitions it leads, each with its Raft term (leader epoch). */
    record ReportLeaders(int nodeId, List<LeaderReport> leaders) implements MetadataCommand {}

    /** One partition in a {@link ReportLeaders}. */
    record LeaderReport(String topic, int partition, int epoch) {}

    /**
     * AlterPartitionReassignments for one partition: move it to {@code target} (preferred leader
     * first), or cancel the move in progress when {@code target} is null. See {@link ReplicaMoves}.
     */
    record ReassignPartition(String topic, int partition, List<Integer> target) implements MetadataCommand {}

    /** The partition's leader saw its Raft group's members become {@code target}: the move is done. */
    record CompleteReassignment(String topic, int partition, List<Integer> target) implements MetadataCommand {}

    /** Decommission (drain, no new replicas) or recommission a broker. */
    record SetBrokerDecommissioned(int nodeId, boolean decommissioned) implements MetadataCommand {}

    /**
     * Transaction coordinator commands: applied to the {@link io.ailurus.core.txn.TxnStore}, not to
     * the image (frequent, like group commands).
     */
    sealed interface TxnCommand extends MetadataCommand {}

    /** Stores a transactional id's next state if it is still at {@code expectedVersion} (0: unknown). */
    record PutTransaction(io.ailurus.core.txn.TransactionMetadata txn, long expectedVersion) implements TxnCommand {}

    /** Forgets an expired, idle transactional id if it is still at {@code expectedVersion}. */
    record DeleteTransaction(String transactionalId, long expectedVersion) implements TxnCommand {}

    /** TxnOffsetCommit: offsets held for {@code groupId} until the producer's transaction ends. */
    record CommitTxnOffsets(String transactionalId, long producerId, short producerEpoch, String groupId,
                            List<io.ailurus.core.group.OffsetEntry> offsets, long timestamp) implements TxnCommand {}
}
