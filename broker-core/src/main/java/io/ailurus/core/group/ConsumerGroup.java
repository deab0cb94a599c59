package io.ailurus.core.group;

import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.TopicInfo;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.Uuid;

/**
 * A consumer (KIP-848) group's in-memory state: the group epoch (bumped on every change of
 * membership, subscriptions or subscribed topics' partitions), the target assignment computed by
 * the server-side assignor at the assignment epoch, and the members converging towards it.
 */
final class ConsumerGroup implements Group {
    final String groupId;
    int groupEpoch;
    int assignmentEpoch;
    long stateTimestamp;
    String assignorName = Assignors.UNIFORM;
    final Map<String, ConsumerMember> members = new LinkedHashMap<>();
    final Map<String, String> staticMembers = new HashMap<>();
    /** memberId to its target partitions at {@link #assignmentEpoch}. */
    Map<String, Map<Uuid, Set<Integer>>> target = Map.of();
    /** Partition counts of the subscribed topics when the target was computed: a change bumps the epoch. */
    Map<String, Integer> subscribedTopicPartitions = Map.of();

    ConsumerGroup(String groupId, long now) {
        this.groupId = groupId;
        this.stateTimestamp = now;
    }

    @Override
    public String groupId() {
        return groupId;
    }

    @Override
    public String type() {
        return PersistedGroup.CONSUMER;
    }

    @Override
    public String stateName() {
        if (members.isEmpty()) {
            return "Empty";
        }
        if (groupEpoch > assignmentEpoch) {
            return "Assigning";
        }
        for (ConsumerMember m : members.values()) {
            if (m.state != ConsumerMember.State.STABLE || m.memberEpoch != assignmentEpoch) {
                return "Reconciling";
            }
        }
        return "Stable";
    }

    @Override
    public String protocolType() {
        return "consumer";
    }

    @Override
    public boolean hasMembers() {
        return !members.isEmpty();
    }

    @Override
    public long stateTimestamp() {
        return stateTimestamp;
    }

    /** Names of the topics some member subscribes to (by name or by regex) that exist in {@code image}. */
    Set<String> subscribedTopics(MetadataImage image) {
        Set<String> out = new TreeSet<>();
        for (ConsumerMember m : members.values()) {
            out.addAll(topicsOf(m, image));
        }
        return out;
    }

    /** Subscribed topic names, existing or not (OffsetDelete refuses to delete offsets of these). */
    Set<String> subscribedTopics() {
        Set<String> out = new TreeSet<>();
        members.values().forEach(m -> out.addAll(m.subscribedTopicNames));
        return out;
    }

    static Set<String> topicsOf(ConsumerMember m, MetadataImage image) {
        Set<String> out = new TreeSet<>();
        for (String t : m.subscribedTopicNames) {
            if (image.topics().containsKey(t)) {
                out.add(t);
            }
        }
        if (m.subscribedTopicRegex != null && !m.subscribedTopicRegex.isEmpty()) {
            try {
                Pattern p = Pattern.compile(m.subscribedTopicRegex);
                for (TopicInfo t : image.topics().values()) {
                    if (p.matcher(t.name()).matches()) {
                        out.add(t.name());
                    }
                }
            } catch (PatternSyntaxException e) {
                // validated when the member sent it; nothing matches an invalid pattern
            }
        }
        return out;
    }

    Map<String, Integer> partitionCounts(MetadataImage image) {
        Map<String, Integer> counts = new HashMap<>();
        for (String t : subscribedTopics(image)) {
            counts.put(t, image.topics().get(t).partitionCount());
        }
        return counts;
    }

    /** Who owns (or is still revoking) the partition, other than {@code except}. */
    boolean ownedByOther(String except, Uuid topic, int partition) {
        for (ConsumerMember m : members.values()) {
            if (!m.memberId.equals(except) && m.owns(topic, partition)) {
                return true;
            }
        }
        return false;
    }
}
