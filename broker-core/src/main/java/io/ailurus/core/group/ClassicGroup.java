package io.ailurus.core.group;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * A classic (JoinGroup/SyncGroup) group's in-memory state. The protocol rules live in
 * {@link ClassicGroupCoordinator}; this class only holds the state and answers questions about it.
 */
final class ClassicGroup implements Group {
    final String groupId;
    ClassicGroupState state = ClassicGroupState.EMPTY;
    int generationId;
    String protocolType;
    String protocolName;
    String leaderId;
    long stateTimestamp;
    /** Members in join order (the first to join leads a new generation if the leader left). */
    final Map<String, ClassicMember> members = new LinkedHashMap<>();
    /** group.instance.id to the member id that currently holds it. */
    final Map<String, String> staticMembers = new HashMap<>();
    /** Member ids handed out with MEMBER_ID_REQUIRED (KIP-394) whose owners have not re-joined yet. */
    final Map<String, ScheduledFuture<?>> pendingMembers = new HashMap<>();
    /** Members of the generation being completed that have not sent SyncGroup yet. */
    final Set<String> pendingSync = new HashSet<>();
    ScheduledFuture<?> joinTimer;
    ScheduledFuture<?> syncTimer;
    /** The first rebalance of an empty group waits group_initial_rebalance_delay for more members. */
    boolean initialDelayRunning;
    boolean newMemberAdded;
    /** Join phases completed since this coordinator loaded the group (tests and metrics). */
    int rebalancesCompleted;

    ClassicGroup(String groupId, long now) {
        this.groupId = groupId;
        this.stateTimestamp = now;
    }

    @Override
    public String groupId() {
        return groupId;
    }

    @Override
    public String type() {
        return PersistedGroup.CLASSIC;
    }

    @Override
    public String stateName() {
        return state.kafkaName();
    }

    @Override
    public String protocolType() {
        return protocolType == null ? "" : protocolType;
    }

    @Override
    public boolean hasMembers() {
        return !members.isEmpty() || !pendingMembers.isEmpty();
    }

    @Override
    public long stateTimestamp() {
        return stateTimestamp;
    }

    void transition(ClassicGroupState next, long now) {
        state = next;
        stateTimestamp = now;
    }

    boolean is(ClassicGroupState s) {
        return state == s;
    }

    /** Whether a member with these protocols may join: same protocol type, and a protocol every member supports. */
    boolean supports(String type, List<ClassicMember.Protocol> protocols) {
        if (type == null || type.isEmpty() || protocols.isEmpty()) {
            return false;
        }
        if (members.isEmpty()) {
            return true;
        }
        if (!type.equals(protocolType)) {
            return false;
        }
        Set<String> common = candidateProtocols();
        return protocols.stream().anyMatch(p -> common.contains(p.name()));
    }

    /** Protocols every member supports, in the first member's order of preference. */
    Set<String> candidateProtocols() {
        Set<String> common = null;
        for (ClassicMember m : members.values()) {
            Set<String> names = new LinkedHashSet<>();
            m.protocols.forEach(p -> names.add(p.name()));
            if (common == null) {
                common = names;
            } else {
                common.retainAll(names);
            }
        }
        return common == null ? Set.of() : common;
    }

    /** Each member votes for its most preferred candidate; the most votes wins (ties: first candidate). */
    String selectProtocol() {
        Set<String> candidates = candidateProtocols();
        Map<String, Integer> votes = new LinkedHashMap<>();
        candidates.forEach(c -> votes.put(c, 0));
        for (ClassicMember m : members.values()) {
            for (ClassicMember.Protocol p : m.protocols) {
                if (candidates.contains(p.name())) {
                    votes.merge(p.name(), 1, Integer::sum);
                    break;
                }
            }
        }
        String best = null;
        int most = -1;
        for (var e : votes.entrySet()) {
            if (e.getValue() > most) {
                best = e.getKey();
                most = e.getValue();
            }
        }
        return best;
    }

    boolean allMembersJoined() {
        if (!pendingMembers.isEmpty()) {
            return false;
        }
        for (ClassicMember m : members.values()) {
            if (m.awaitingJoin == null) {
                return false;
            }
        }
        return true;
    }

    int maxRebalanceTimeoutMs() {
        int max = 0;
        for (ClassicMember m : members.values()) {
            max = Math.max(max, m.rebalanceTimeoutMs);
        }
        return max;
    }

    /** Whether the static member {@code instanceId} is held by a member other than {@code memberId}. */
    boolean isFenced(String instanceId, String memberId) {
        if (instanceId == null) {
            return false;
        }
        String holder = staticMembers.get(instanceId);
        return holder != null && !holder.equals(memberId);
    }
}
