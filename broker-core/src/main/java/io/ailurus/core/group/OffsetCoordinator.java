package io.ailurus.core.group;

import io.ailurus.core.metadata.MetadataCommand;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.TopicInfo;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OffsetCommit, OffsetFetch and OffsetDelete: validates who commits against the group (generation
 * and member for classic groups, member epoch for consumer groups) on the coordinator thread, then
 * stores the offsets through the controller and answers once they are applied (so durable).
 */
final class OffsetCoordinator {
    private static final Logger log = LoggerFactory.getLogger(OffsetCoordinator.class);

    private final GroupRuntime rt;
    private final GroupLoader loader;

    OffsetCoordinator(GroupRuntime rt, GroupLoader loader) {
        this.rt = rt;
        this.loader = loader;
    }

    // --- OffsetCommit ---------------------------------------------------------------------------------

    CompletableFuture<OffsetCommitResponseData> commit(OffsetCommitRequestData req, short version) {
        MetadataImage image = rt.cluster.image();
        Errors groupError = req.groupId() == null || req.groupId().isEmpty() ? Errors.INVALID_GROUP_ID
            : validateCommit(req.groupId(), req.generationIdOrMemberEpoch(), req.memberId(), req.groupInstanceId(), version);
        OffsetCommitResponseData resp = new OffsetCommitResponseData();
        List<OffsetEntry> entries = new ArrayList<>();
        List<OffsetCommitResponsePartition> accepted = new ArrayList<>();
        for (var t : req.topics()) {
            TopicInfo topic = version >= 10 ? image.topicById(t.topicId().toString()).orElse(null)
                : image.topic(t.name()).orElse(null);
            OffsetCommitResponseTopic rt = new OffsetCommitResponseTopic().setName(t.name()).setTopicId(t.topicId());
            resp.topics().add(rt);
            for (var p : t.partitions()) {
                OffsetCommitResponsePartition pr = new OffsetCommitResponsePartition().setPartitionIndex(p.partitionIndex());
                rt.partitions().add(pr);
                Errors e = groupError;
                if (e == Errors.NONE) {
                    if (topic == null || p.partitionIndex() < 0 || p.partitionIndex() >= topic.partitionCount()) {
                        e = version >= 10 && topic == null ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
                    } else if (p.committedMetadata() != null && p.committedMetadata().length() > GroupSettings.MAX_METADATA_LENGTH) {
                        e = Errors.OFFSET_METADATA_TOO_LARGE;
                    }
                }
                if (e != Errors.NONE) {
                    pr.setErrorCode(e.code());
                    continue;
                }
                entries.add(new OffsetEntry(topic.name(), p.partitionIndex(), p.committedOffset(), p.committedLeaderEpoch(),
                    p.committedMetadata() == null ? "" : p.committedMetadata()));
                accepted.add(pr);
            }
        }
        if (entries.isEmpty()) {
            return CompletableFuture.completedFuture(resp);
        }
        if (rt.groups.get(req.groupId()) == null) {
            // A commit outside any group protocol (assign() + commitSync) makes an empty classic group, as in Kafka.
            rt.groups.put(req.groupId(), new ClassicGroup(req.groupId(), rt.now()));
        }
        return rt.persist(new MetadataCommand.CommitOffsets(req.groupId(), entries, rt.now())).handle((r, e) -> {
            Errors outcome = e == null && r.isOk() ? Errors.NONE : Errors.COORDINATOR_NOT_AVAILABLE;
            if (outcome != Errors.NONE) {
                log.warn("group {}: storing {} offsets failed: {}", req.groupId(), entries.size(), e != null ? e.toString() : r.message());
            }
            accepted.forEach(pr -> pr.setErrorCode(outcome.code()));
            return resp;
        });
    }

    /** Kafka's rules for who may commit; NONE means the commit may proceed. */
    private Errors validateCommit(String groupId, int generationOrEpoch, String memberId, String instanceId, short version) {
        Group group = loader.load(groupId);
        if (group == null) {
            // Only a commit outside a group protocol may create a group.
            return generationOrEpoch < 0 ? Errors.NONE : Errors.ILLEGAL_GENERATION;
        }
        if (group instanceof ConsumerGroup cg) {
            if (generationOrEpoch < 0 && (memberId == null || memberId.isEmpty()) && !cg.hasMembers()) {
                return Errors.NONE;
            }
            ConsumerMember m = cg.members.get(memberId);
            if (m == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (generationOrEpoch != m.memberEpoch) {
                return version >= 9 ? Errors.STALE_MEMBER_EPOCH : Errors.ILLEGAL_GENERATION;
            }
            return Errors.NONE;
        }
        ClassicGroup g = (ClassicGroup) group;
        if (g.is(ClassicGroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (generationOrEpoch < 0 && g.is(ClassicGroupState.EMPTY)) {
            return Errors.NONE;
        }
        if (g.isFenced(instanceId, memberId)) {
            return Errors.FENCED_INSTANCE_ID;
        }
        if (!g.members.containsKey(memberId)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (generationOrEpoch != g.generationId) {
            return Errors.ILLEGAL_GENERATION;
        }
        if (g.is(ClassicGroupState.COMPLETING_REBALANCE)) {
            return Errors.REBALANCE_IN_PROGRESS;
        }
        return Errors.NONE;
    }

    // --- OffsetFetch -------------------------------------------------------------------------------------

    GroupOffsets fetch(GroupOffsetsQuery req, boolean memberChecks) {
        Group group = loader.load(req.groupId());
        if (memberChecks && group instanceof ConsumerGroup cg && req.memberId() != null) {
            ConsumerMember m = cg.members.get(req.memberId());
            if (m == null) {
                return new GroupOffsets(Errors.UNKNOWN_MEMBER_ID, List.of());
            }
            if (req.memberEpoch() != m.memberEpoch) {
                return new GroupOffsets(Errors.STALE_MEMBER_EPOCH, List.of());
            }
        }
        Map<TopicPartition, CommittedOffset> stored = rt.store.offsets(req.groupId());
        List<GroupOffsets.PartitionOffset> out = new ArrayList<>();
        if (req.topics() == null) {
            Map<TopicPartition, CommittedOffset> sorted = new java.util.TreeMap<>(
                java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
            sorted.putAll(stored);
            sorted.forEach((tp, o) -> out.add(new GroupOffsets.PartitionOffset(tp.topic(), tp.partition(), o.offset(), o.leaderEpoch(),
                o.metadata(), Errors.NONE)));
        } else {
            req.topics().forEach((topic, partitions) -> {
                for (int p : partitions) {
                    CommittedOffset o = stored.get(new TopicPartition(topic, p));
                    out.add(o == null ? new GroupOffsets.PartitionOffset(topic, p, -1, -1, "", Errors.NONE)
                        : new GroupOffsets.PartitionOffset(topic, p, o.offset(), o.leaderEpoch(), o.metadata(), Errors.NONE));
                }
            });
        }
        return new GroupOffsets(Errors.NONE, out);
    }

    // --- OffsetDelete --------------------------------------------------------------------------------------

    CompletableFuture<OffsetDeleteResponseData> delete(OffsetDeleteRequestData req) {
        OffsetDeleteResponseData resp = new OffsetDeleteResponseData();
        Group group = loader.load(req.groupId());
        if (group == null) {
            return CompletableFuture.completedFuture(resp.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()));
        }
        Set<String> subscribed;
        if (group instanceof ConsumerGroup cg) {
            subscribed = cg.subscribedTopics();
        } else {
            ClassicGroup g = (ClassicGroup) group;
            if (g.hasMembers() && !"consumer".equals(g.protocolType)) {
                return CompletableFuture.completedFuture(resp.setErrorCode(Errors.NON_EMPTY_GROUP.code()));
            }
            subscribed = subscribedTopics(g);
        }
        MetadataImage image = rt.cluster.image();
        List<PartitionRef> deleting = new ArrayList<>();
        List<OffsetDeleteResponseData.OffsetDeleteResponsePartition> accepted = new ArrayList<>();
        for (var t : req.topics()) {
            var rt = new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(t.name());
            resp.topics().add(rt);
            for (var p : t.partitions()) {
                var pr = new OffsetDeleteResponseData.OffsetDeleteResponsePartition().setPartitionIndex(p.partitionIndex());
                rt.partitions().add(pr);
                if (image.topic(t.name()).map(ti -> p.partitionIndex() >= ti.partitionCount()).orElse(true)) {
                    pr.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                } else if (subscribed.contains(t.name())) {
                    pr.setErrorCode(Errors.GROUP_SUBSCRIBED_TO_TOPIC.code());
                } else {
                    deleting.add(new PartitionRef(t.name(), p.partitionIndex()));
                    accepted.add(pr);
                }
            }
        }
        if (deleting.isEmpty()) {
            return CompletableFuture.completedFuture(resp);
        }
        return this.rt.persist(new MetadataCommand.DeleteOffsets(req.groupId(), deleting)).handle((r, e) -> {
            Errors outcome = e == null && r.isOk() ? Errors.NONE : Errors.COORDINATOR_NOT_AVAILABLE;
            accepted.forEach(pr -> pr.setErrorCode(outcome.code()));
            return resp;
        });
    }

    /** Topics the members of a classic "consumer" group subscribe to, read from their subscription metadata. */
    static Set<String> subscribedTopics(ClassicGroup g) {
        Set<String> topics = new HashSet<>();
        if (!"consumer".equals(g.protocolType) || g.protocolName == null) {
            return topics;
        }
        for (ClassicMember m : g.members.values()) {
            try {
                topics.addAll(ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(m.metadata(g.protocolName))).topics());
            } catch (RuntimeException e) {
                log.debug("group {}: member {} has unreadable subscription metadata", g.groupId, m.memberId);
            }
        }
        return topics;
    }

    // --- retention -----------------------------------------------------------------------------------------

    /**
     * Expires offsets of empty groups older than the retention (counted from the later of the commit
     * and the moment the group became empty), and drops empty groups left with nothing.
     */
    void expireOffsets() {
        GroupSettings s = rt.settings();
        long now = rt.now();
        for (String groupId : rt.store.groupIds()) {
            Group group = loader.load(groupId);
            if (group != null && group.hasMembers()) {
                continue;
            }
            long emptySince = group == null ? 0 : group.stateTimestamp();
            Map<TopicPartition, CommittedOffset> offsets = rt.store.offsets(groupId);
            List<PartitionRef> expired = new ArrayList<>();
            offsets.forEach((tp, o) -> {
                if (Math.max(o.commitTimestamp(), emptySince) + s.offsetRetentionMs() <= now) {
                    expired.add(new PartitionRef(tp.topic(), tp.partition()));
                }
            });
            if (expired.isEmpty() && !offsets.isEmpty()) {
                continue;
            }
            if (expired.size() == offsets.size() && emptySince + s.offsetRetentionMs() <= now) {
                log.info("group {}: empty and all {} offsets expired; deleting the group", groupId, expired.size());
                rt.persist(new MetadataCommand.DeleteGroups(List.of(groupId))).thenAccept(r -> {
                    Group now2 = rt.groups.get(groupId);
                    if (now2 != null && !now2.hasMembers()) {
                        rt.groups.remove(groupId);
                    }
                });
            } else if (!expired.isEmpty()) {
                log.info("group {}: {} offsets expired", groupId, expired.size());
                rt.persist(new MetadataCommand.DeleteOffsets(groupId, expired));
            }
        }
    }

    static Map<String, List<Integer>> byTopic(List<TopicPartition> tps) {
        Map<String, List<Integer>> m = new LinkedHashMap<>();
        tps.forEach(tp -> m.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        return m;
    }

    static Uuid topicId(MetadataImage image, String topic) {
        return image.topic(topic).map(t -> Uuid.fromString(t.topicId())).orElse(Uuid.ZERO_UUID);
    }
}
