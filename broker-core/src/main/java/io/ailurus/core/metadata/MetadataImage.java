package io.ailurus.core.metadata;

import java.util.Map;
import java.util.Optional;
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
                            long nextProducerId) {

    public static final MetadataImage EMPTY = new MetadataImage(0, null, Map.of(), Map.of(), Map.of(), 0);

    public MetadataImage {
        brokers = Map.copyOf(brokers);
        topics = Map.copyOf(topics);
        clusterConfig = Map.copyOf(clusterConfig);
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
