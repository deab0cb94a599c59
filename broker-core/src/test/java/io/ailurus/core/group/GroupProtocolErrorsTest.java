package io.ailurus.core.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.testing.EmbeddedBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's answers to each protocol situation, with Kafka's error codes, driven through
 * the real coordinator of a running broker (the same calls the handlers make).
 */
class GroupProtocolErrorsTest {
    @TempDir
    static Path dir;
    static EmbeddedBroker broker;
    static GroupCoordinator groups;

    @BeforeAll
    static void start() throws Exception {
        broker = GroupTesting.broker(dir, 0).start();
        groups = broker.broker().groups();
        GroupTesting.createTopic(broker, "t", 2);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    static JoinGroupRequestData join(String group, String memberId, String instanceId) {
        JoinGroupRequestData r = new JoinGroupRequestData().setGroupId(group).setMemberId(memberId)
            .setGroupInstanceId(instanceId).setSessionTimeoutMs(5000).setRebalanceTimeoutMs(5000).setProtocolType("consumer");
        r.protocols().add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[] {1}));
        return r;
    }

    /** Joins one dynamic member through KIP-394 and syncs generation 1; returns its member id. */
    static String joinAlone(String group) throws Exception {
        JoinGroupResponseData first = get(groups.joinGroup(join(group, "", null), (short) 9, "c", "/h"));
        assertEquals(Errors.MEMBER_ID_REQUIRED.code(), first.errorCode());
        JoinGroupResponseData joined = get(groups.joinGroup(join(group, first.memberId(), null), (short) 9, "c", "/h"));
        assertEquals(Errors.NONE.code(), joined.errorCode());
        assertEquals(first.memberId(), joined.leader());
        assertEquals(1, joined.members().size(), "the leader learns the members' metadata");
        SyncGroupResponseData synced = get(groups.syncGroup(new SyncGroupRequestData().setGroupId(group)
            .setGenerationId(joined.generationId()).setMemberId(joined.memberId())
            .setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(joined.memberId())
                .setAssignment(new byte[] {7})))));
        assertEquals(Errors.NONE.code(), synced.errorCode());
        assertEquals(7, synced.assignment()[0]);
        return joined.memberId();
    }

    @Test
    void classicJoinSyncHeartbeatAndTheirErrors() throws Exception {
        String member = joinAlone("g1");
        assertEquals(1, get(groups.generationOf("g1")));
        assertEquals(Errors.NONE.code(), get(groups.heartbeat(hb("g1", member, 1))).errorCode());
        assertEquals(Errors.ILLEGAL_GENERATION.code(), get(groups.heartbeat(hb("g1", member, 7))).errorCode());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), get(groups.heartbeat(hb("g1", "nobody", 1))).errorCode());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), get(groups.heartbeat(hb("no-such-group", member, 1))).errorCode());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(),
            get(groups.joinGroup(join("g1", "nobody", null), (short) 9, "c", "/h")).errorCode());
        assertEquals(Errors.ILLEGAL_GENERATION.code(), get(groups.syncGroup(new SyncGroupRequestData().setGroupId("g1")
            .setGenerationId(5).setMemberId(member))).errorCode());
        JoinGroupRequestData otherProtocol = join("g1", "", null).setProtocolType("connect");
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL.code(),
            get(groups.joinGroup(otherProtocol, (short) 9, "c", "/h")).errorCode());
        JoinGroupRequestData tooShort = join("g1", "", null).setSessionTimeoutMs(10);
        assertEquals(Errors.INVALID_SESSION_TIMEOUT.code(), get(groups.joinGroup(tooShort, (short) 9, "c", "/h")).errorCode());

        // A second member joining puts the group into a rebalance: the first learns it on its heartbeat.
        JoinGroupResponseData second = get(groups.joinGroup(join("g1", "", null), (short) 9, "c2", "/h"));
        CompletableFuture<JoinGroupResponseData> secondJoin = groups.joinGroup(join("g1", second.memberId(), null), (short) 9, "c2", "/h");
        assertEquals(Errors.REBALANCE_IN_PROGRESS.code(), get(groups.heartbeat(hb("g1", member, 1))).errorCode());
        JoinGroupResponseData rejoined = get(groups.joinGroup(join("g1", member, null), (short) 9, "c", "/h"));
        assertEquals(2, rejoined.generationId());
        assertEquals(2, get(secondJoin).generationId());
        // Offsets may not be committed while the generation is being completed.
        assertEquals(Errors.REBALANCE_IN_PROGRESS.code(), commit("g1", 2, member).topics().get(0).partitions().get(0).errorCode());
        assertEquals(Errors.ILLEGAL_GENERATION.code(), commit("g1", 1, member).topics().get(0).partitions().get(0).errorCode());

        // LeaveGroup v3+: per-member answers.
        var leave = get(groups.leaveGroup(new LeaveGroupRequestData().setGroupId("g1").setMembers(List.of(
            new LeaveGroupRequestData.MemberIdentity().setMemberId(member),
            new LeaveGroupRequestData.MemberIdentity().setMemberId("nobody"))), (short) 5));
        assertEquals(Errors.NONE.code(), leave.members().get(0).errorCode());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), leave.members().get(1).errorCode());
    }

    @Test
    void staticMembersAreFencedByInstanceId() throws Exception {
        JoinGroupResponseData a = get(groups.joinGroup(join("g2", "", "instance-a"), (short) 9, "c", "/h"));
        assertEquals(Errors.NONE.code(), a.errorCode(), "static members skip MEMBER_ID_REQUIRED");
        assertTrue(a.memberId().startsWith("instance-a-"));
        get(groups.syncGroup(new SyncGroupRequestData().setGroupId("g2").setGenerationId(a.generationId())
            .setMemberId(a.memberId()).setGroupInstanceId("instance-a")));
        // The same instance re-joins under a new member id: the old id is fenced, no new generation.
        JoinGroupResponseData again = get(groups.joinGroup(join("g2", "", "instance-a"), (short) 9, "c", "/h"));
        assertEquals(Errors.NONE.code(), again.errorCode());
        assertNotEquals(a.memberId(), again.memberId());
        assertEquals(a.generationId(), again.generationId(), "a static member's return is not a rebalance");
        assertTrue(again.skipAssignment(), "the returning leader keeps the current assignment");
        assertEquals(Errors.FENCED_INSTANCE_ID.code(), get(groups.heartbeat(hb("g2", a.memberId(), a.generationId())
            .setGroupInstanceId("instance-a"))).errorCode());
        assertEquals(Errors.NONE.code(), get(groups.heartbeat(hb("g2", again.memberId(), a.generationId())
            .setGroupInstanceId("instance-a"))).errorCode());
        var leave = get(groups.leaveGroup(new LeaveGroupRequestData().setGroupId("g2").setMembers(List.of(
            new LeaveGroupRequestData.MemberIdentity().setMemberId(a.memberId()).setGroupInstanceId("instance-a"))), (short) 5));
        assertEquals(Errors.FENCED_INSTANCE_ID.code(), leave.members().get(0).errorCode());
    }

    @Test
    void deleteGroupsRefusesGroupsWithMembers() throws Exception {
        joinAlone("g3");
        assertEquals(Map.of("g3", Errors.NON_EMPTY_GROUP, "none", Errors.GROUP_ID_NOT_FOUND),
            get(groups.deleteGroups(List.of("g3", "none"))));
        // A group that exists only through committed offsets is empty and can be deleted.
        assertEquals(Errors.NONE.code(), commit("simple", -1, "").topics().get(0).partitions().get(0).errorCode());
        assertEquals(Map.of("simple", Errors.NONE), get(groups.deleteGroups(List.of("simple"))));
        assertTrue(broker.broker().controller().groups().offsets("simple").isEmpty());
    }

    @Test
    void consumerProtocolEpochsAndFencing() throws Exception {
        ConsumerGroupHeartbeatResponseData joined = get(groups.consumerGroupHeartbeat(new ConsumerGroupHeartbeatRequestData()
            .setGroupId("cg").setMemberId("m-1").setMemberEpoch(0).setRebalanceTimeoutMs(5000)
            .setSubscribedTopicNames(List.of("t")).setTopicPartitions(List.of()), "c", "/h"));
        assertEquals(Errors.NONE.code(), joined.errorCode());
        assertEquals(1, joined.memberEpoch());
        assertEquals(2, joined.assignment().topicPartitions().get(0).partitions().size(), "alone, the member gets both partitions");
        assertEquals(300, joined.heartbeatIntervalMs());

        ConsumerGroupHeartbeatResponseData stale = get(groups.consumerGroupHeartbeat(new ConsumerGroupHeartbeatRequestData()
            .setGroupId("cg").setMemberId("m-1").setMemberEpoch(7), "c", "/h"));
        assertEquals(Errors.FENCED_MEMBER_EPOCH.code(), stale.errorCode());
        ConsumerGroupHeartbeatResponseData unknown = get(groups.consumerGroupHeartbeat(new ConsumerGroupHeartbeatRequestData()
            .setGroupId("cg").setMemberId("m-x").setMemberEpoch(1), "c", "/h"));
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), unknown.errorCode());
        ConsumerGroupHeartbeatResponseData badAssignor = get(groups.consumerGroupHeartbeat(new ConsumerGroupHeartbeatRequestData()
            .setGroupId("cg").setMemberId("m-2").setMemberEpoch(0).setRebalanceTimeoutMs(5000).setServerAssignor("sticky")
            .setSubscribedTopicNames(List.of("t")).setTopicPartitions(List.of()), "c", "/h"));
        assertEquals(Errors.INVALID_REQUEST.code(), badAssignor.errorCode());

        // A second member: the first must give up a partition (keeping its epoch) before the second gets it.
        ConsumerGroupHeartbeatResponseData second = get(groups.consumerGroupHeartbeat(new ConsumerGroupHeartbeatRequestData()
            .setGroupId("cg").setMemberId("m-2").setMemberEpoch(0).setRebalanceTimeoutMs(5000)
            .setSubscribedTopicNames(List.of("t")).setTopicPartitions(List.of()), "c", "/h"));
        assertEquals(2, second.memberEpoch());
        assertTrue(second.assignment().topicPartitions().isEmpty(), "its partition is still owned by m-1");
        ConsumerGroupHeartbeatResponseData revoke = get(groups.consumerGroupHeartbeat(new ConsumerGroupHeartbeatRequestData()
            .setGroupId("cg").setMemberId("m-1").setMemberEpoch(1), "c", "/h"));
        assertEquals(1, revoke.memberEpoch(), "epoch unchanged until the revocation is confirmed");
        assertEquals(1, revoke.assignment().topicPartitions().get(0).partitions().size());
        var kept = revoke.assignment().topicPartitions().get(0);
        ConsumerGroupHeartbeatResponseData confirmed = get(groups.consumerGroupHeartbeat(new ConsumerGroupHeartbeatRequestData()
            .setGroupId("cg").setMemberId("m-1").setMemberEpoch(1).setTopicPartitions(List.of(
                new ConsumerGroupHeartbeatRequestData.TopicPartitions().setTopicId(kept.topicId()).setPartitions(kept.partitions()))),
            "c", "/h"));
        assertEquals(2, confirmed.memberEpoch());
        ConsumerGroupHeartbeatResponseData released = get(groups.consumerGroupHeartbeat(new ConsumerGroupHeartbeatRequestData()
            .setGroupId("cg").setMemberId("m-2").setMemberEpoch(2), "c", "/h"));
        assertEquals(1, released.assignment().topicPartitions().get(0).partitions().size());
        assertFalse(released.assignment().topicPartitions().get(0).partitions().equals(kept.partitions()));

        // Offset commits carry the member epoch (OffsetCommit v9+).
        OffsetCommitResponseData staleCommit = get(groups.commitOffsets(commitRequest("cg", 1, "m-2"), (short) 9));
        assertEquals(Errors.STALE_MEMBER_EPOCH.code(), staleCommit.topics().get(0).partitions().get(0).errorCode());
        OffsetCommitResponseData okCommit = get(groups.commitOffsets(commitRequest("cg", 2, "m-2"), (short) 9));
        assertEquals(Errors.NONE.code(), okCommit.topics().get(0).partitions().get(0).errorCode());
    }

    static HeartbeatRequestData hb(String group, String member, int generation) {
        return new HeartbeatRequestData().setGroupId(group).setMemberId(member).setGenerationId(generation);
    }

    static OffsetCommitResponseData commit(String group, int generation, String member) throws Exception {
        return get(groups.commitOffsets(commitRequest(group, generation, member), (short) 8));
    }

    static OffsetCommitRequestData commitRequest(String group, int generation, String member) {
        return new OffsetCommitRequestData().setGroupId(group).setGenerationIdOrMemberEpoch(generation).setMemberId(member)
            .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("t").setPartitions(List.of(
                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(5)))));
    }
}
