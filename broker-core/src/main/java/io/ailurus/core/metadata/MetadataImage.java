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
                            Map<String, Map<Integer, PartitionLeader>> partitionLeaders) {

    public static final MetadataImage EMPTY = new MetadataImage(0, null, Map.of(), Map.of(), Map.of(), 0);

    /**
     * @param offlineBrokers   registered brokers the controller leader has not heard from lately
     * @param partitionLeaders topic -> partition -> the leader a replicated partition reported
     */
    public MetadataImage {
        brokers = Map.copyOf(brokers);
        topics = Map.copyOf(topics);
        clusterConfig = Map.copyOf(clusterConfig);
        // Absent in snapshots written before the cluster work: nobody offline, no reports.
        offlineBrokers = offlineBrokers == null ? Set.of() : Set.copyOf(offlineBrokers);
        partitionLeaders = partitionLeaders == null ? Map.of() : Map.copyOf(partitionLeaders);
    }

    /** An image without liveness or leadership facts (single node, tests). */
    public MetadataImage(long appliedIndex, String clusterId, Map<Integer, BrokerInfo> brokers, Map<String, TopicInfo> topics,
                         Map<String, String> clusterConfig, long nextProducerId) {
        this(appliedIndex, clusterId, brokers, topics, clusterConfig, nextProducerId, Set.of(), Map.of());
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
