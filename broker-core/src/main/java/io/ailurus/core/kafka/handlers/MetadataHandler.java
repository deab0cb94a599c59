package io.ailurus.core.kafka.handlers;

import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.metadata.BrokerInfo;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.PartitionLeader;
import io.ailurus.core.metadata.TopicInfo;
import io.ailurus.core.partition.Partition;
import io.ailurus.core.partition.PartitionManager;
import io.ailurus.core.topic.TopicCreator;
import io.ailurus.core.topic.TopicNames;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * Metadata: the brokers, the controller and, for the requested topics (all when the list is null),
 * each partition's leader, leader epoch and replicas. Creates missing topics when
 * {@code auto_create_topics_enabled} is on and the client allows it.
 */
public final class MetadataHandler implements KafkaApiHandler<MetadataRequestData, MetadataResponseData> {
    private final ClusterView cluster;
    private final PartitionManager partitions;
    private final TopicCreator creator;

    public MetadataHandler(ClusterView cluster, PartitionManager partitions, TopicCreator creator) {
        this.cluster = cluster;
        this.partitions = partitions;
        this.creator = creator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.METADATA;
    }

    @Override
    public CompletableFuture<MetadataResponseData> handle(RequestContext ctx, MetadataRequestData request) {
        MetadataImage image = cluster.image();
        if (request.topics() == null) {
            return CompletableFuture.completedFuture(respond(image, image.sortedTopics().keySet(), List.of()));
        }
        Set<String> names = new LinkedHashSet<>();
        List<MetadataResponseTopic> unknownIds = new ArrayList<>();
        for (var t : request.topics()) {
            // A topic id wins over the name: Kafka's Admin client asks by id with the name left at
            // its default, the empty string (not null), which is no topic name.
            boolean byId = t.topicId() != null && !Uuid.ZERO_UUID.equals(t.topicId());
            if (!byId && t.name() != null) {
                names.add(t.name());
            } else if (byId) {
                image.topicById(t.topicId().toString()).ifPresentOrElse(ti -> names.add(ti.name()),
                    () -> unknownIds.add(new MetadataResponseTopic().setTopicId(t.topicId())
                        .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())));
            }
        }
        List<String> missing = names.stream()
            .filter(n -> image.topic(n).isEmpty() && TopicNames.invalidReason(n) == null).toList();
        boolean autoCreate = request.allowAutoTopicCreation() && creator.autoCreateEnabled(image);
        if (missing.isEmpty() || !autoCreate) {
            return CompletableFuture.completedFuture(respond(image, names, unknownIds));
        }
        return creator.createWithDefaults(missing)
            .thenApply(v -> respond(cluster.image(), names, unknownIds));
    }

    private MetadataResponseData respond(MetadataImage image, Iterable<String> names, List<MetadataResponseTopic> extra) {
        MetadataResponseData response = new MetadataResponseData()
            .setClusterId(cluster.clusterId())
            .setControllerId(cluster.controllerId());
        for (BrokerInfo b : image.brokers().values()) {
            response.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                .setNodeId(b.nodeId()).setHost(b.host()).setPort(b.port()).setRack(b.rack()));
        }
        for (String name : names) {
            response.topics().add(describe(image, name));
        }
        extra.forEach(t -> response.topics().add(t));
        return response;
    }

    private MetadataResponseTopic describe(MetadataImage image, String name) {
        String invalid = TopicNames.invalidReason(name);
        if (invalid != null) {
            return new MetadataResponseTopic().setName(name).setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code());
        }
        TopicInfo topic = image.topic(name).orElse(null);
        if (topic == null) {
            return new MetadataResponseTopic().setName(name).setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        MetadataResponseTopic out = new MetadataResponseTopic()
            .setName(name)
            .setTopicId(Uuid.fromString(topic.topicId()))
            .setIsInternal(TopicNames.isInternal(name));
        for (int p = 0; p < topic.partitionCount(); p++) {
            out.partitions().add(describe(image, topic, p));
        }
        return out;
    }

    private MetadataResponsePartition describe(MetadataImage image, TopicInfo topic, int p) {
        List<Integer> replicas = topic.replicas(p);
        // A replica being added by a move in progress is not in sync until the move is done (as in Kafka).
        io.ailurus.core.metadata.PartitionReassignment move = image.reassignment(topic.name(), p);
        List<Integer> adding = move == null ? List.of() : move.adding();
        List<Integer> live = replicas.stream().filter(id -> image.isBrokerAlive(id) && !adding.contains(id)).toList();
        List<Integer> offline = replicas.stream().filter(id -> !image.isBrokerAlive(id)).toList();
        MetadataResponsePartition out = new MetadataResponsePartition()
            .setPartitionIndex(p)
            .setReplicaNodes(replicas)
            .setIsrNodes(live)
            .setOfflineReplicas(offline);
        Partition local = partitions.get(new TopicPartition(topic.name(), p));
        if (local != null && local.isLeader()) {
            return out.setLeaderId(cluster.nodeId()).setLeaderEpoch(local.leaderEpoch());
        }
        // A replicated partition: the leader as the replica here knows it (jraft), else as its leader
        // reported it to the controller; the newer term wins. Never a broker that is offline, and
        // never this broker when its replica does not lead: an image that still names it is stale
        // (e.g. this broker was cut off and stepped down), and clients sent here would only be
        // refused with NOT_LEADER_OR_FOLLOWER.
        PartitionLeader reported = image.reportedLeader(topic.name(), p);
        int self = cluster.nodeId();
        boolean hostedHere = local != null;
        int leader = -1;
        int epoch = -1;
        if (reported != null && image.isBrokerAlive(reported.nodeId())
                && !(hostedHere && reported.nodeId() == self)) {
            leader = reported.nodeId();
            epoch = reported.epoch();
        }
        if (local != null && local.leaderId() >= 0 && local.leaderId() != self && image.isBrokerAlive(local.leaderId())
                && (leader < 0 || local.leaderEpoch() > epoch)) {
            leader = local.leaderId();
            epoch = local.leaderEpoch();
        }
        if (leader >= 0) {
            return out.setLeaderId(leader).setLeaderEpoch(epoch);
        }
        // A single-replica partition hosted elsewhere: its only replica leads.
        int preferred = replicas.get(0);
        if (replicas.size() == 1 && image.isBrokerAlive(preferred) && preferred != cluster.nodeId()) {
            return out.setLeaderId(preferred).setLeaderEpoch(-1);
        }
        return out.setLeaderId(-1).setLeaderEpoch(-1).setErrorCode(Errors.LEADER_NOT_AVAILABLE.code());
    }
}
