package io.ailurus.core.group;

import io.ailurus.core.metadata.MetadataImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.protocol.Errors;

/** DescribeGroups and ConsumerGroupDescribe answers built from in-memory groups (coordinator thread). */
final class GroupDescriptions {
    private GroupDescriptions() {}

    static DescribeGroupsResponseData.DescribedGroup classic(String id, Group group, short version) {
        DescribeGroupsResponseData.DescribedGroup d = new DescribeGroupsResponseData.DescribedGroup().setGroupId(id)
            .setProtocolType("").setProtocolData("");
        if (group == null) {
            // Kafka: Dead with no error before v6; GROUP_ID_NOT_FOUND from v6.
            d.setGroupState(ClassicGroupState.DEAD.kafkaName());
            if (version >= 6) {
                d.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()).setErrorMessage("Group " + id + " not found.");
            }
            return d;
        }
        if (group instanceof ConsumerGroup cg) {
            // A consumer group seen through the classic API: state and members, no classic metadata.
            d.setGroupState(cg.stateName()).setProtocolType("consumer").setProtocolData(cg.assignorName);
            for (ConsumerMember m : cg.members.values()) {
                d.members().add(new DescribeGroupsResponseData.DescribedGroupMember().setMemberId(m.memberId)
                    .setGroupInstanceId(m.instanceId).setClientId(m.clientId).setClientHost(m.clientHost)
                    .setMemberMetadata(new byte[0]).setMemberAssignment(new byte[0]));
            }
            return d;
        }
        ClassicGroup g = (ClassicGroup) group;
        boolean stable = g.is(ClassicGroupState.STABLE);
        d.setGroupState(g.stateName()).setProtocolType(g.protocolType()).setProtocolData(stable ? g.protocolName : "");
        for (ClassicMember m : g.members.values()) {
            d.members().add(new DescribeGroupsResponseData.DescribedGroupMember().setMemberId(m.memberId)
                .setGroupInstanceId(m.instanceId).setClientId(m.clientId).setClientHost(m.clientHost)
                .setMemberMetadata(stable ? m.metadata(g.protocolName) : new byte[0])
                .setMemberAssignment(stable ? m.assignment : new byte[0]));
        }
        return d;
    }

    static ConsumerGroupDescribeResponseData.DescribedGroup consumer(String id, Group group, MetadataImage image) {
        var d = new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId(id);
        if (group == null) {
            return d.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()).setErrorMessage("Group " + id + " not found.");
        }
        if (!(group instanceof ConsumerGroup g)) {
            return d.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()).setErrorMessage("Group " + id + " is not a consumer group.");
        }
        d.setGroupState(g.stateName()).setGroupEpoch(g.groupEpoch).setAssignmentEpoch(g.assignmentEpoch)
            .setAssignorName(g.assignorName);
        for (ConsumerMember m : g.members.values()) {
            d.members().add(new ConsumerGroupDescribeResponseData.Member().setMemberId(m.memberId)
                .setInstanceId(m.instanceId).setRackId(m.rackId).setMemberEpoch(m.memberEpoch)
                .setClientId(m.clientId == null ? "" : m.clientId).setClientHost(m.clientHost == null ? "" : m.clientHost)
                .setSubscribedTopicNames(new ArrayList<>(m.subscribedTopicNames)).setSubscribedTopicRegex(m.subscribedTopicRegex)
                .setAssignment(assignment(m.assigned, image))
                .setTargetAssignment(assignment(g.target.getOrDefault(m.memberId, Map.of()), image))
                .setMemberType((byte) 1));
        }
        return d;
    }

    private static ConsumerGroupDescribeResponseData.Assignment assignment(Map<Uuid, Set<Integer>> parts, MetadataImage image) {
        var a = new ConsumerGroupDescribeResponseData.Assignment();
        parts.forEach((topicId, ps) -> {
            String name = image.topicById(topicId.toString()).map(t -> t.name()).orElse("");
            a.topicPartitions().add(new ConsumerGroupDescribeResponseData.TopicPartitions().setTopicId(topicId)
                .setTopicName(name).setPartitions(new ArrayList<>(ps)));
        });
        return a;
    }

}
