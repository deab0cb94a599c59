package io.ailurus.core.kafka.handlers;

import io.ailurus.core.group.GroupCoordinator;
import io.ailurus.core.group.GroupOffsets;
import io.ailurus.core.group.GroupOffsetsQuery;
import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.TopicInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiPredicate;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartition;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopic;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetFetch: v0-7 one group (topics null = all), v8+ several groups at once, v10 topics by id.
 * Offsets, leader epochs and metadata come back exactly as committed; -1 where none was.
 */
public final class OffsetFetchHandler implements KafkaApiHandler<OffsetFetchRequestData, OffsetFetchResponseData> {
    private final ClusterView cluster;
    private final GroupCoordinator groups;
    /** Whether an open transaction holds an offset for (group, partition): requireStable refuses those. */
    private final BiPredicate<String, TopicPartition> pendingTxnOffset;

    public OffsetFetchHandler(ClusterView cluster, GroupCoordinator groups) {
        this(cluster, groups, (g, tp) -> false);
    }

    public OffsetFetchHandler(ClusterView cluster, GroupCoordinator groups, BiPredicate<String, TopicPartition> pendingTxnOffset) {
        this.cluster = cluster;
        this.groups = groups;
        this.pendingTxnOffset = pendingTxnOffset;
    }

    /**
     * KIP-447: with requireStable (v7+), a partition whose offset an open transaction may still change
     * answers UNSTABLE_OFFSET_COMMIT (the consumer retries) instead of an offset that may be stale.
     */
    private Errors stability(boolean requireStable, String groupId, String topic, int partition, Errors error) {
        if (requireStable && error == Errors.NONE && pendingTxnOffset.test(groupId, new TopicPartition(topic, partition))) {
            return Errors.UNSTABLE_OFFSET_COMMIT;
        }
        return error;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_FETCH;
    }

    @Override
    public CompletableFuture<OffsetFetchResponseData> handle(RequestContext ctx, OffsetFetchRequestData request) {
        short version = ctx.apiVersion();
        MetadataImage image = cluster.image();
        List<GroupOffsetsQuery> queries = new ArrayList<>();
        /** Per group, the partitions asked for by an unknown topic id (answered UNKNOWN_TOPIC_ID). */
        List<Map<Uuid, List<Integer>>> unknownIds = new ArrayList<>();
        if (version < 8) {
            Map<String, List<Integer>> topics = null;
            if (request.topics() != null) {
                topics = new LinkedHashMap<>();
                for (var t : request.topics()) {
                    topics.put(t.name(), t.partitionIndexes());
                }
            }
            queries.add(new GroupOffsetsQuery(request.groupId(), null, -1, topics));
            unknownIds.add(Map.of());
        } else {
            for (var g : request.groups()) {
                Map<String, List<Integer>> topics = null;
                Map<Uuid, List<Integer>> unknown = new LinkedHashMap<>();
                if (g.topics() != null) {
                    topics = new LinkedHashMap<>();
                    for (var t : g.topics()) {
                        if (version >= 10) {
                            TopicInfo info = image.topicById(t.topicId().toString()).orElse(null);
                            if (info == null) {
                                unknown.put(t.topicId(), t.partitionIndexes());
                            } else {
                                topics.put(info.name(), t.partitionIndexes());
                            }
                        } else {
                            topics.put(t.name(), t.partitionIndexes());
                        }
                    }
                }
                queries.add(new GroupOffsetsQuery(g.groupId(), g.memberId(), g.memberEpoch(), topics));
                unknownIds.add(unknown);
            }
        }
        boolean requireStable = version >= 7 && request.requireStable();
        return groups.fetchOffsets(queries, version >= 9).thenApply(results -> {
            OffsetFetchResponseData response = new OffsetFetchResponseData();
            if (version < 8) {
                GroupOffsets r = results.get(0);
                response.setErrorCode(r.error().code());
                Map<String, OffsetFetchResponseTopic> byName = new LinkedHashMap<>();
                for (var p : r.partitions()) {
                    Errors e = stability(requireStable, request.groupId(), p.topic(), p.partition(), p.error());
                    boolean unstable = e == Errors.UNSTABLE_OFFSET_COMMIT;
                    byName.computeIfAbsent(p.topic(), n -> new OffsetFetchResponseTopic().setName(n)).partitions()
                        .add(new OffsetFetchResponsePartition().setPartitionIndex(p.partition())
                            .setCommittedOffset(unstable ? -1 : p.offset())
                            .setCommittedLeaderEpoch(unstable ? -1 : p.leaderEpoch()).setMetadata(p.metadata())
                            .setErrorCode(e.code()));
                }
                response.topics().addAll(byName.values());
                return response;
            }
            for (int i = 0; i < results.size(); i++) {
                GroupOffsets r = results.get(i);
                OffsetFetchResponseGroup group = new OffsetFetchResponseGroup().setGroupId(queries.get(i).groupId())
                    .setErrorCode(r.error().code());
                Map<String, OffsetFetchResponseTopics> byName = new LinkedHashMap<>();
                for (var p : r.partitions()) {
                    Errors e = stability(requireStable, queries.get(i).groupId(), p.topic(), p.partition(), p.error());
                    boolean unstable = e == Errors.UNSTABLE_OFFSET_COMMIT;
                    byName.computeIfAbsent(p.topic(), n -> new OffsetFetchResponseTopics().setName(n)
                            .setTopicId(image.topic(n).map(t -> Uuid.fromString(t.topicId())).orElse(Uuid.ZERO_UUID)))
                        .partitions().add(new OffsetFetchResponsePartitions().setPartitionIndex(p.partition())
                            .setCommittedOffset(unstable ? -1 : p.offset()).setCommittedLeaderEpoch(unstable ? -1 : p.leaderEpoch())
                            .setMetadata(p.metadata()).setErrorCode(e.code()));
                }
                if (version >= 10) {
                    // Offsets of a deleted topic have no id to be addressed by.
                    byName.values().removeIf(t -> Uuid.ZERO_UUID.equals(t.topicId()));
                }
                group.topics().addAll(byName.values());
                unknownIds.get(i).forEach((id, parts) -> {
                    OffsetFetchResponseTopics t = new OffsetFetchResponseTopics().setTopicId(id);
                    for (int p : parts) {
                        t.partitions().add(new OffsetFetchResponsePartitions().setPartitionIndex(p).setCommittedOffset(-1)
                            .setCommittedLeaderEpoch(-1).setMetadata("").setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()));
                    }
                    group.topics().add(t);
                });
                response.groups().add(group);
            }
            return response;
        });
    }
}
