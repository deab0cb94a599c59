package io.ailurus.core.metadata;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An immutable view of cluster metadata at one controller log index. Readers on any thread take
 * the current image and read it without locks; the controller publishes a new image after each apply.
 */
public record MetadataImage(long appliedIndex,
                            String clusterId,
                            Map<Integer, BrokerInfo> brokers,
                            Map<String, TopicInfo> topics,
                            Map<String, String> clusterConfig,
                            long nextProducerId,
                            Set<Integer> offlineBrokers,
                            Map<String, Map<Integer, PartitionLeader>> partitionLeaders,
                            Map<String, Map<Integer, PartitionReassignment>> reassignments,
                            Set<Integer> decommissionedBrokers) {

    public static final MetadataImage EMPTY = new MetadataImage(0, null, Map.of(), Map.of(), Map.of(), 0);

    /**
     * @param offlineBrokers   registered brokers the controller leader has not heard from lately
     * @param partitionLeaders topic -> partition -> the leader a replicated partition reported
     * @param reassignments    topic -> partition -> the replica move in progress
     * @param decommissionedBrokers brokers being (or done being) drained: they get no new replicas
     */
    public MetadataImage {
        brokers = Map.copyOf(brokers);
        topics = Map.copyOf(topics);
        clusterConfig = Map.copyOf(clusterConfig);
        // Absent in snapshots written before the cluster work: nobody offline, no reports.
        offlineBrokers = offlineBrokers == null ? Set.of() : Set.copyOf(offlineBrokers);
        partitionLeaders = partitionLeaders == null ? Map.of() : Map.copyOf(partitionLeaders);
        // Absent in snapshots written before replica moves: none in progress, nobody draining.
        reassignments = reassignments == null ? Map.of() : Map.copyOf(reassignments);
        decommissionedBrokers = decommissionedBrokers == null ? Set.of() : Set.copyOf(decommissionedBrokers);
    }

    /** An image without replica moves or decommissions. */
    public MetadataImage(long appliedIndex, String clusterId, Map<Integer, BrokerInfo> brokers, Map<String, TopicInfo> topics,
                         Map<String, String> clusterConfig, long nextProducerId, Set<Integer> offlineBrokers,
                         Map<String, Map<Integer, PartitionLeader>> partitionLeaders) {
        this(appliedIndex, clusterId, brokers, topics, clusterConfig, nextProducerId, offlineBrokers, partitionLeaders,
            Map.of(), Set.of());
    }

    /** An image without liveness or leadership facts (single node, tests). */
    public MetadataImage(long appliedIndex, String clusterId, Map<Integer, BrokerInfo> brokers, Map<String, TopicInfo> topics,
                         Map<String, String> clusterConfig, long nextProducerId) {
        this(appliedIndex, clusterId, brokers, topics, clusterConfig, nextProducerId, Set.of(), Map.of(), Map.of(), Set.of());
    }

    /** The replica move in progress for a partition, or null. */
    public PartitionReassignment reassignment(String topic, int partition) {
        Map<Integer, PartitionReassignment> byPartition = reassignments.get(topic);
        return byPartition == null ? null : byPartition.get(partition);
    }

    /** Whether the broker has been decommissioned (and not recommissioned). */
    public boolean isDecommissioned(int nodeId) {
        return decommissionedBrokers.contains(nodeId);
    }

    /** Registered brokers that may receive new replicas (not decommissioned), sorted by id. */
    public java.util.List<Integer> placeableBrokers() {
        return brokers.keySet().stream().filter(id -> !decommissionedBrokers.contains(id)).sorted().toList();
    }

    /** Registered and not reported offline by the controller's failure detector. */
    public boolean isBrokerAlive(int nodeId) {
        return brokers.containsKey(nodeId) && !offlineBrokers.contains(nodeId);
    }

    /** The leader reported for a replicated partition, or null. */
    public PartitionLeader reportedLeader(String topic, int partition) {
        Map<Integer, PartitionLeader> byPartition = partitionLeaders.get(topic);
        return byPartition == null ? null : byPartition.get(partition);
    }

    public Optional<TopicInfo> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    public Optional<TopicInfo> topicById(String topicId) {
        return topics.values().stream().filter(t -> t.topicId().equals(topicId)).findFirst();
    }

    /** Topics sorted by name, as Metadata and rpk list them. */
    public Map<String, TopicInfo> sortedTopics() {
        return new TreeMap<>(topics);
    }
}
