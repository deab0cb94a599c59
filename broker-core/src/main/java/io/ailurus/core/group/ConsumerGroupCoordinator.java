package io.ailurus.core.group;

import io.ailurus.core.metadata.MetadataCommand;
import io.ailurus.core.metadata.MetadataImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer group protocol of KIP-848 (ConsumerGroupHeartbeat): members join with epoch 0,
 * the server computes the target assignment with its assignor whenever the group epoch moves, and
 * each member converges towards its target one heartbeat at a time: it first gives up partitions
 * it must lose (keeping its epoch), then gets the group's assignment epoch and the partitions no
 * other member still holds. Runs on the coordinator thread.
 */
final class ConsumerGroupCoordinator {
    private static final Logger log = LoggerFactory.getLogger(ConsumerGroupCoordinator.class);
    static final int LEAVE_EPOCH = -1;
    static final int LEAVE_STATIC_EPOCH = -2;

    private final GroupRuntime rt;
    private final GroupLoader loader;

    ConsumerGroupCoordinator(GroupRuntime rt, GroupLoader loader) {
        this.rt = rt;
        this.loader = loader;
    }

    CompletableFuture<ConsumerGroupHeartbeatResponseData> heartbeat(ConsumerGroupHeartbeatRequestData req, String clientId,
                                                                    String clientHost) {
        GroupSettings s = rt.settings();
        String invalid = validate(req);
        if (invalid != null) {
            return error(Errors.INVALID_REQUEST, invalid);
        }
        Group existing = loader.load(req.groupId());
        if (existing instanceof ClassicGroup classic) {
            if (classic.hasMembers()) {
                return error(Errors.GROUP_ID_NOT_FOUND, "Group " + req.groupId() + " is not a consumer group.");
            }
            existing = null; // an empty classic group (offsets only) becomes a consumer group, offsets kept
        }
        ConsumerGroup g = (ConsumerGroup) existing;
        if (req.memberEpoch() == LEAVE_EPOCH || req.memberEpoch() == LEAVE_STATIC_EPOCH) {
            return leave(g, req);
        }
        if (g == null) {
            if (req.memberEpoch() != 0) {
                return error(Errors.UNKNOWN_MEMBER_ID, "Member " + req.memberId() + " is not a member of group " + req.groupId());
            }
            g = new ConsumerGroup(req.groupId(), rt.now());
            PersistedGroup stored = rt.store.group(req.groupId()).orElse(null);
            if (stored != null) {
                g.groupEpoch = stored.generation();
                g.assignmentEpoch = stored.generation();
            }
            rt.groups.put(g.groupId, g);
        }
        String memberId = req.memberId() == null || req.memberId().isEmpty() ? Uuid.randomUuid().toString() : req.memberId();
        ConsumerMember m = g.members.get(memberId);
        boolean full = req.memberEpoch() == 0;
        boolean bump = false;
        if (req.memberEpoch() == 0) {
            boolean tookOver = false;
            if (req.instanceId() != null) {
                String holder = g.staticMembers.get(req.instanceId());
                ConsumerMember prev = holder == null ? null : g.members.get(holder);
                if (prev != null && !prev.memberId.equals(memberId)) {
                    if (!prev.departedStatic) {
                        return error(Errors.UNRELEASED_INSTANCE_ID, "Static member " + req.instanceId()
                            + " is still held by member " + holder);
                    }
                    m = takeOverStatic(g, prev, memberId);
                    tookOver = true;
                }
            }
            if (m == null) {
                m = new ConsumerMember(memberId);
                m.instanceId = req.instanceId();
                g.members.put(memberId, m);
                if (m.instanceId != null) {
                    g.staticMembers.put(m.instanceId, memberId);
                }
                bump = true;
                log.info("group {}: member {} joined", g.groupId, memberId);
            } else if (!tookOver && !m.departedStatic) {
                // A known member re-joining with epoch 0 starts over: it owns nothing now.
                m.assigned = Map.of();
                m.pendingRevocation = Map.of();
                m.state = ConsumerMember.State.STABLE;
                bump = true;
            }
            m.departedStatic = false;
        } else {
            if (m == null) {
                return error(Errors.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not a member of group " + g.groupId);
            }
            if (req.memberEpoch() != m.memberEpoch && !(req.memberEpoch() == m.previousMemberEpoch
                && ownsNoMoreThan(req.topicPartitions(), m.assigned))) {
                return error(Errors.FENCED_MEMBER_EPOCH, "The member epoch " + req.memberEpoch()
                    + " does not match the expected epoch " + m.memberEpoch);
            }
        }
        bump |= updateMember(m, req, clientId, clientHost);
        MetadataImage image = rt.cluster.image();
        if (!g.partitionCounts(image).equals(g.subscribedTopicPartitions)) {
            bump = true;
        }
        if (bump) {
            bumpEpoch(g, image);
        }
        Map<Uuid, Set<Integer>> before = m.assigned;
        reconcile(g, m, req.topicPartitions());
        scheduleSession(g, m, s.consumerSessionTimeoutMs());
        ConsumerGroupHeartbeatResponseData resp = new ConsumerGroupHeartbeatResponseData().setErrorCode(Errors.NONE.code())
            .setMemberId(m.memberId).setMemberEpoch(m.memberEpoch).setHeartbeatIntervalMs(s.consumerHeartbeatIntervalMs());
        if (full || !before.equals(m.assigned)) {
            resp.setAssignment(assignment(m.assigned));
        }
        return CompletableFuture.completedFuture(resp);
    }

    private static String validate(ConsumerGroupHeartbeatRequestData req) {
        if (req.groupId() == null || req.groupId().isEmpty()) {
            return "GroupId can't be empty.";
        }
        if (req.memberEpoch() > 0 || req.memberEpoch() == LEAVE_EPOCH || req.memberEpoch() == LEAVE_STATIC_EPOCH) {
            if (req.memberId() == null || req.memberId().isEmpty()) {
                return "MemberId can't be empty.";
            }
        } else if (req.memberEpoch() == 0) {
            if (req.rebalanceTimeoutMs() == -1) {
                return "RebalanceTimeoutMs must be provided in first request.";
            }
            if (req.topicPartitions() == null || !req.topicPartitions().isEmpty()) {
                return "TopicPartitions must be empty when (re-)joining.";
            }
            if (req.subscribedTopicNames() == null && req.subscribedTopicRegex() == null) {
                return "SubscribedTopicNames or SubscribedTopicRegex must be set in first request.";
            }
        } else {
            return "MemberEpoch is invalid.";
        }
        if (req.serverAssignor() != null && !Assignors.known(req.serverAssignor())) {
            return "ServerAssignor " + req.serverAssignor() + " is not supported. Supported assignors: uniform, range.";
        }
        if (req.subscribedTopicRegex() != null) {
            try {
                Pattern.compile(req.subscribedTopicRegex());
            } catch (PatternSyntaxException e) {
                return "SubscribedTopicRegex `" + req.subscribedTopicRegex() + "` is not a valid regular expression: " + e.getDescription();
            }
        }
        return null;
    }

    /** Applies the request's non-null fields; true when the subscription changed (a new group epoch). */
    private static boolean updateMember(ConsumerMember m, ConsumerGroupHeartbeatRequestData req, String clientId, String clientHost) {
        boolean changed = false;
        m.clientId = clientId;
        m.clientHost = clientHost;
        if (req.rackId() != null) {
            m.rackId = req.rackId();
        }
        if (req.rebalanceTimeoutMs() > 0) {
            m.rebalanceTimeoutMs = req.rebalanceTimeoutMs();
        }
        if (req.subscribedTopicNames() != null) {
            List<String> names = new ArrayList<>(new TreeSet<>(req.subscribedTopicNames()));
            changed |= !names.equals(m.subscribedTopicNames);
            m.subscribedTopicNames = names;
        }
        if (req.subscribedTopicRegex() != null) {
            String regex = req.subscribedTopicRegex().isEmpty() ? null : req.subscribedTopicRegex();
            changed |= !Objects.equals(regex, m.subscribedTopicRegex);
            m.subscribedTopicRegex = regex;
        }
        if (req.serverAssignor() != null) {
            changed |= !req.serverAssignor().equals(m.serverAssignor);
            m.serverAssignor = req.serverAssignor();
        }
        return changed;
    }

    private ConsumerMember takeOverStatic(ConsumerGroup g, ConsumerMember prev, String memberId) {
        g.members.remove(prev.memberId);
        cancelTimers(prev);
        ConsumerMember m = new ConsumerMember(memberId);
        m.instanceId = prev.instanceId;
        m.assigned = prev.assigned;
        m.pendingRevocation = prev.pendingRevocation;
        m.memberEpoch = prev.memberEpoch;
        m.previousMemberEpoch = prev.previousMemberEpoch;
        m.state = prev.state;
        m.subscribedTopicNames = prev.subscribedTopicNames;
        m.subscribedTopicRegex = prev.subscribedTopicRegex;
        m.serverAssignor = prev.serverAssignor;
        m.rebalanceTimeoutMs = prev.rebalanceTimeoutMs;
        g.members.put(memberId, m);
        g.staticMembers.put(m.instanceId, memberId);
        Map<String, Map<Uuid, Set<Integer>>> t = new HashMap<>(g.target);
        Map<Uuid, Set<Integer>> mine = t.remove(prev.memberId);
        if (mine != null) {
            t.put(memberId, mine);
        }
        g.target = t;
        log.info("group {}: static member {} came back as {}", g.groupId, m.instanceId, memberId);
        return m;
    }

    private CompletableFuture<ConsumerGroupHeartbeatResponseData> leave(ConsumerGroup g, ConsumerGroupHeartbeatRequestData req) {
        ConsumerMember m = g == null ? null : g.members.get(req.memberId());
        if (m == null) {
            return error(Errors.UNKNOWN_MEMBER_ID, "Member " + req.memberId() + " is not a member of group " + req.groupId());
        }
        if (req.memberEpoch() == LEAVE_STATIC_EPOCH && m.instanceId != null) {
            // KIP-848 static leave: the instance keeps its partitions until its session ends, for a quick return.
            m.departedStatic = true;
            log.info("group {}: static member {} ({}) left temporarily", g.groupId, m.instanceId, m.memberId);
        } else {
            removeMember(g, m, "left the group");
        }
        return CompletableFuture.completedFuture(new ConsumerGroupHeartbeatResponseData().setErrorCode(Errors.NONE.code())
            .setMemberId(req.memberId()).setMemberEpoch(req.memberEpoch()).setHeartbeatIntervalMs(0));
    }

    void removeMember(ConsumerGroup g, ConsumerMember m, String why) {
        cancelTimers(m);
        g.members.remove(m.memberId);
        if (m.instanceId != null && m.memberId.equals(g.staticMembers.get(m.instanceId))) {
            g.staticMembers.remove(m.instanceId);
        }
        log.info("group {}: member {} {}", g.groupId, m.memberId, why);
        bumpEpoch(g, rt.cluster.image());
        if (g.members.isEmpty()) {
            g.stateTimestamp = rt.now();
        }
    }

    /** A new group epoch: the assignor computes the new target at once (so the group never waits in Assigning). */
    private void bumpEpoch(ConsumerGroup g, MetadataImage image) {
        g.groupEpoch++;
        g.subscribedTopicPartitions = g.partitionCounts(image);
        String assignor = g.members.values().stream().map(m -> m.serverAssignor).filter(Objects::nonNull).findFirst()
            .orElse(Assignors.UNIFORM);
        g.assignorName = assignor;
        List<Assignors.MemberSpec> specs = new ArrayList<>();
        for (ConsumerMember m : g.members.values()) {
            specs.add(new Assignors.MemberSpec(m.memberId, ConsumerGroup.topicsOf(m, image),
                g.target.getOrDefault(m.memberId, m.assigned)));
        }
        g.target = Assignors.assign(assignor, specs, image);
        g.assignmentEpoch = g.groupEpoch;
        g.stateTimestamp = rt.now();
        // The epoch must keep growing across coordinator restarts; members themselves re-join after one.
        rt.persist(new MetadataCommand.PutGroup(new PersistedGroup(g.groupId, PersistedGroup.CONSUMER, "consumer",
            assignor, g.groupEpoch, null, g.stateTimestamp, List.of())));
        log.debug("group {}: epoch {}, target {}", g.groupId, g.groupEpoch, g.target);
    }

    /** Moves the member one step towards its target (Kafka's CurrentAssignmentBuilder, in our words). */
    private void reconcile(ConsumerGroup g, ConsumerMember m, List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned) {
        switch (m.state) {
            case UNREVOKED_PARTITIONS -> {
                if (owned != null && !intersects(owned, m.pendingRevocation)) {
                    m.pendingRevocation = Map.of();
                    GroupRuntime.cancel(m.revocationTimer);
                    nextAssignment(g, m);
                }
            }
            case UNRELEASED_PARTITIONS -> nextAssignment(g, m);
            case STABLE -> {
                if (m.memberEpoch != g.assignmentEpoch) {
                    nextAssignment(g, m);
                }
            }
        }
    }

    private void nextAssignment(ConsumerGroup g, ConsumerMember m) {
        Map<Uuid, Set<Integer>> target = g.target.getOrDefault(m.memberId, Map.of());
        Map<Uuid, Set<Integer>> keep = new HashMap<>();
        Map<Uuid, Set<Integer>> revoke = new HashMap<>();
        m.assigned.forEach((topic, parts) -> parts.forEach(p ->
            (ConsumerMember.contains(target, topic, p) ? keep : revoke).computeIfAbsent(topic, k -> new TreeSet<>()).add(p)));
        if (!revoke.isEmpty()) {
            m.assigned = keep;
            m.pendingRevocation = revoke;
            m.state = ConsumerMember.State.UNREVOKED_PARTITIONS;
            long token = ++m.timerToken;
            GroupRuntime.cancel(m.revocationTimer);
            m.revocationTimer = rt.schedule(() -> onRevocationTimeout(g, m, token), Math.max(1, m.rebalanceTimeoutMs));
            return;
        }
        boolean unreleased = false;
        for (var e : target.entrySet()) {
            for (int p : e.getValue()) {
                if (ConsumerMember.contains(keep, e.getKey(), p)) {
                    continue;
                }
                if (g.ownedByOther(m.memberId, e.getKey(), p)) {
                    unreleased = true;
                } else {
                    keep.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(p);
                }
            }
        }
        m.assigned = keep;
        if (m.memberEpoch != g.assignmentEpoch) {
            m.previousMemberEpoch = m.memberEpoch;
            m.memberEpoch = g.assignmentEpoch;
        }
        m.state = unreleased ? ConsumerMember.State.UNRELEASED_PARTITIONS : ConsumerMember.State.STABLE;
    }

    private void onRevocationTimeout(ConsumerGroup g, ConsumerMember m, long token) {
        if (m.timerToken == token && g.members.get(m.memberId) == m && m.state == ConsumerMember.State.UNREVOKED_PARTITIONS) {
            removeMember(g, m, "did not revoke its partitions within its rebalance timeout");
        }
    }

    private void scheduleSession(ConsumerGroup g, ConsumerMember m, int timeoutMs) {
        GroupRuntime.cancel(m.sessionTimer);
        m.sessionTimer = rt.schedule(() -> {
            if (g.members.get(m.memberId) == m) {
                removeMember(g, m, "session expired");
            }
        }, timeoutMs);
    }

    void cancelTimers(ConsumerMember m) {
        GroupRuntime.cancel(m.sessionTimer);
        GroupRuntime.cancel(m.revocationTimer);
        m.timerToken++;
    }

    private static boolean intersects(List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned, Map<Uuid, Set<Integer>> m) {
        for (var tp : owned) {
            for (int p : tp.partitions()) {
                if (ConsumerMember.contains(m, tp.topicId(), p)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean ownsNoMoreThan(List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned, Map<Uuid, Set<Integer>> assigned) {
        if (owned == null) {
            return true;
        }
        for (var tp : owned) {
            for (int p : tp.partitions()) {
                if (!ConsumerMember.contains(assigned, tp.topicId(), p)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static ConsumerGroupHeartbeatResponseData.Assignment assignment(Map<Uuid, Set<Integer>> assigned) {
        ConsumerGroupHeartbeatResponseData.Assignment a = new ConsumerGroupHeartbeatResponseData.Assignment();
        assigned.forEach((topic, parts) -> a.topicPartitions().add(new ConsumerGroupHeartbeatResponseData.TopicPartitions()
            .setTopicId(topic).setPartitions(new ArrayList<>(parts))));
        return a;
    }

    private static CompletableFuture<ConsumerGroupHeartbeatResponseData> error(Errors error, String message) {
        return CompletableFuture.completedFuture(new ConsumerGroupHeartbeatResponseData().setErrorCode(error.code())
            .setErrorMessage(message).setMemberEpoch(-1));
    }

}
