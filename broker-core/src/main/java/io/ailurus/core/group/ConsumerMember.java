package io.ailurus.core.group;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.apache.kafka.common.Uuid;

/**
 * One member of a consumer (KIP-848) group: its subscription, its epoch, the partitions it owns
 * now and those it still has to give up before it may move to the group's assignment epoch.
 */
final class ConsumerMember {
    /** Where the member is in reconciling towards its target assignment (Kafka's MemberState). */
    enum State { STABLE, UNREVOKED_PARTITIONS, UNRELEASED_PARTITIONS }

    final String memberId;
    String instanceId;
    String rackId;
    String clientId;
    String clientHost;
    int rebalanceTimeoutMs;
    List<String> subscribedTopicNames = List.of();
    String subscribedTopicRegex;
    String serverAssignor;
    int memberEpoch;
    int previousMemberEpoch = -1;
    State state = State.STABLE;
    /** Partitions the member owns (and was told it owns). */
    Map<Uuid, Set<Integer>> assigned = Map.of();
    /** Partitions the member was asked to give up and has not yet confirmed it did. */
    Map<Uuid, Set<Integer>> pendingRevocation = Map.of();
    /** A static member that left with epoch -2 keeps its partitions for its instance id until its session ends. */
    boolean departedStatic;
    ScheduledFuture<?> sessionTimer;
    ScheduledFuture<?> revocationTimer;
    long timerToken;

    ConsumerMember(String memberId) {
        this.memberId = memberId;
    }

    boolean owns(Uuid topic, int partition) {
        return contains(assigned, topic, partition) || contains(pendingRevocation, topic, partition);
    }

    static boolean contains(Map<Uuid, Set<Integer>> m, Uuid topic, int partition) {
        Set<Integer> s = m.get(topic);
        return s != null && s.contains(partition);
    }
}
