package io.ailurus.core.group;

import io.ailurus.core.metadata.MetadataCommand;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic group protocol: JoinGroup, SyncGroup, Heartbeat and LeaveGroup with Kafka's
 * semantics (KIP-394 member ids, KIP-345 static members, the initial rebalance delay, session and
 * rebalance timeouts). Every method runs on the coordinator thread. What Kafka persists, the
 * stable generation with its assignment, goes through the controller before SyncGroup answers.
 */
final class ClassicGroupCoordinator {
    private static final Logger log = LoggerFactory.getLogger(ClassicGroupCoordinator.class);

    private final GroupRuntime rt;

    ClassicGroupCoordinator(GroupRuntime rt) {
        this.rt = rt;
    }

    // --- JoinGroup ---------------------------------------------------------------------------------

    CompletableFuture<JoinGroupResponseData> join(JoinGroupRequestData req, short version, String clientId, String clientHost) {
        GroupSettings s = rt.settings();
        if (req.groupId() == null || req.groupId().isEmpty()) {
            return joinError(Errors.INVALID_GROUP_ID, req.memberId());
        }
        if (req.sessionTimeoutMs() < s.minSessionTimeoutMs() || req.sessionTimeoutMs() > s.maxSessionTimeoutMs()) {
            return joinError(Errors.INVALID_SESSION_TIMEOUT, req.memberId());
        }
        Group existing = rt.groups.get(req.groupId());
        if (existing instanceof ConsumerGroup cg && cg.hasMembers()) {
            return joinError(Errors.INCONSISTENT_GROUP_PROTOCOL, req.memberId());
        }
        ClassicGroup g = existing instanceof ClassicGroup c ? c : null;
        boolean unknownMember = req.memberId() == null || req.memberId().isEmpty();
        if (g == null) {
            if (!unknownMember) {
                return joinError(Errors.UNKNOWN_MEMBER_ID, req.memberId());
            }
            g = new ClassicGroup(req.groupId(), rt.now());
            rt.groups.put(g.groupId, g);
        }
        List<ClassicMember.Protocol> protocols = new ArrayList<>();
        req.protocols().forEach(p -> protocols.add(new ClassicMember.Protocol(p.name(), p.metadata())));
        if (!g.supports(req.protocolType(), protocols)) {
            return joinError(Errors.INCONSISTENT_GROUP_PROTOCOL, req.memberId());
        }
        int rebalanceTimeout = version == 0 || req.rebalanceTimeoutMs() <= 0 ? req.sessionTimeoutMs() : req.rebalanceTimeoutMs();
        JoinRequest j = new JoinRequest(req.memberId(), req.groupInstanceId(), clientId, clientHost, req.sessionTimeoutMs(),
            rebalanceTimeout, req.protocolType(), protocols, version);
        return unknownMember ? joinNewMember(g, j) : joinExistingMember(g, j);
    }

    private record JoinRequest(String memberId, String instanceId, String clientId, String clientHost, int sessionTimeoutMs,
                               int rebalanceTimeoutMs, String protocolType, List<ClassicMember.Protocol> protocols,
                               short version) {}

    private CompletableFuture<JoinGroupResponseData> joinNewMember(ClassicGroup g, JoinRequest j) {
        if (g.is(ClassicGroupState.DEAD)) {
            return joinError(Errors.COORDINATOR_NOT_AVAILABLE, "");
        }
        if (j.instanceId() != null) {
            String holder = g.staticMembers.get(j.instanceId());
            String newId = j.instanceId() + "-" + UUID.randomUUID();
            if (holder != null && g.members.containsKey(holder)) {
                return replaceStaticMember(g, holder, newId, j);
            }
            return addMemberAndRebalance(g, newId, j);
        }
        String newId = (j.clientId() == null ? "" : j.clientId()) + "-" + UUID.randomUUID();
        if (j.version() >= 4) {
            // KIP-394: the member must come back with this id; until then it holds the rebalance open.
            ClassicGroup group = g;
            g.pendingMembers.put(newId, rt.schedule(() -> expirePending(group, newId), j.sessionTimeoutMs()));
            return CompletableFuture.completedFuture(new JoinGroupResponseData().setErrorCode(Errors.MEMBER_ID_REQUIRED.code())
                .setMemberId(newId).setGenerationId(-1).setProtocolName(null).setLeader(""));
        }
        return addMemberAndRebalance(g, newId, j);
    }

    private void expirePending(ClassicGroup g, String memberId) {
        if (g.pendingMembers.remove(memberId) != null) {
            log.debug("group {}: pending member {} did not re-join in time", g.groupId, memberId);
            if (g.is(ClassicGroupState.PREPARING_REBALANCE)) {
                tryCompleteJoin(g);
            }
        }
    }

    private CompletableFuture<JoinGroupResponseData> joinExistingMember(ClassicGroup g, JoinRequest j) {
        if (g.is(ClassicGroupState.DEAD)) {
            return joinError(Errors.COORDINATOR_NOT_AVAILABLE, j.memberId());
        }
        var pending = g.pendingMembers.remove(j.memberId());
        if (pending != null) {
            GroupRuntime.cancel(pending);
            return addMemberAndRebalance(g, j.memberId(), j);
        }
        if (g.isFenced(j.instanceId(), j.memberId())) {
            return joinError(Errors.FENCED_INSTANCE_ID, j.memberId());
        }
        ClassicMember m = g.members.get(j.memberId());
        if (m == null) {
            return joinError(Errors.UNKNOWN_MEMBER_ID, j.memberId());
        }
        switch (g.state) {
            case PREPARING_REBALANCE -> {
                return updateMemberAndAwaitJoin(g, m, j);
            }
            case COMPLETING_REBALANCE -> {
                if (m.sameProtocols(j.protocols())) {
                    // The member missed our JoinGroup answer: send it again.
                    return CompletableFuture.completedFuture(joinResponse(g, m, j.version(), false));
                }
                CompletableFuture<JoinGroupResponseData> f = updateMemberAndAwaitJoin(g, m, j);
                prepareRebalance(g, "member " + m.memberId + " changed its protocols");
                return f;
            }
            case STABLE -> {
                if (m.memberId.equals(g.leaderId) || !m.sameProtocols(j.protocols())) {
                    CompletableFuture<JoinGroupResponseData> f = updateMemberAndAwaitJoin(g, m, j);
                    prepareRebalance(g, "leader or member with changed protocols re-joined: " + m.memberId);
                    return f;
                }
                return CompletableFuture.completedFuture(joinResponse(g, m, j.version(), false));
            }
            default -> {
                return joinError(Errors.UNKNOWN_MEMBER_ID, j.memberId());
            }
        }
    }

    private CompletableFuture<JoinGroupResponseData> updateMemberAndAwaitJoin(ClassicGroup g, ClassicMember m, JoinRequest j) {
        m.protocols = j.protocols();
        m.sessionTimeoutMs = j.sessionTimeoutMs();
        m.rebalanceTimeoutMs = j.rebalanceTimeoutMs();
        m.clientId = j.clientId();
        m.clientHost = j.clientHost();
        if (m.awaitingJoin != null) {
            m.awaitingJoin.complete(joinErrorBody(Errors.REBALANCE_IN_PROGRESS, m.memberId));
        }
        CompletableFuture<JoinGroupResponseData> f = new CompletableFuture<>();
        m.awaitingJoin = f;
        m.joinVersion = j.version();
        if (g.is(ClassicGroupState.PREPARING_REBALANCE)) {
            tryCompleteJoin(g);
        }
        return f;
    }

    private CompletableFuture<JoinGroupResponseData> addMemberAndRebalance(ClassicGroup g, String memberId, JoinRequest j) {
        ClassicMember m = new ClassicMember(memberId, j.instanceId(), j.clientId(), j.clientHost(), j.sessionTimeoutMs(),
            j.rebalanceTimeoutMs(), j.protocols());
        CompletableFuture<JoinGroupResponseData> f = new CompletableFuture<>();
        m.awaitingJoin = f;
        m.joinVersion = j.version();
        if (g.members.isEmpty()) {
            g.protocolType = j.protocolType();
        }
        g.members.put(memberId, m);
        if (m.isStatic()) {
            g.staticMembers.put(m.instanceId, memberId);
        }
        if (g.leaderId == null) {
            g.leaderId = memberId;
        }
        g.newMemberAdded = true;
        if (g.is(ClassicGroupState.PREPARING_REBALANCE)) {
            tryCompleteJoin(g);
        } else {
            prepareRebalance(g, "new member " + memberId + " joined");
        }
        return f;
    }

    /**
     * KIP-345: a static member came back under a new member id. In a stable group with unchanged
     * protocols it takes over its predecessor's place and assignment without a rebalance.
     */
    private CompletableFuture<JoinGroupResponseData> replaceStaticMember(ClassicGroup g, String oldId, String newId, JoinRequest j) {
        ClassicMember old = g.members.remove(oldId);
        GroupRuntime.cancel(old.sessionTimer);
        g.pendingSync.remove(oldId);
        if (old.awaitingJoin != null) {
            old.awaitingJoin.complete(joinErrorBody(Errors.FENCED_INSTANCE_ID, oldId));
        }
        if (old.awaitingSync != null) {
            old.awaitingSync.complete(new SyncGroupResponseData().setErrorCode(Errors.FENCED_INSTANCE_ID.code()));
        }
        ClassicMember m = new ClassicMember(newId, j.instanceId(), j.clientId(), j.clientHost(), j.sessionTimeoutMs(),
            j.rebalanceTimeoutMs(), j.protocols());
        m.assignment = old.assignment;
        g.members.put(newId, m);
        g.staticMembers.put(j.instanceId(), newId);
        boolean wasLeader = oldId.equals(g.leaderId);
        if (wasLeader) {
            g.leaderId = newId;
        }
        if (g.is(ClassicGroupState.STABLE) && g.protocolName != null
            && java.util.Arrays.equals(old.metadata(g.protocolName), m.metadata(g.protocolName))) {
            int generation = g.generationId;
            scheduleSession(g, m);
            CompletableFuture<JoinGroupResponseData> f = new CompletableFuture<>();
            rt.persist(new MetadataCommand.PutGroup(persisted(g))).whenComplete((r, e) -> {
                if (e != null || !r.isOk()) {
                    log.warn("group {}: storing static member {}'s new id failed: {}", g.groupId, j.instanceId(),
                        e != null ? e.toString() : r.message());
                    f.complete(joinErrorBody(Errors.UNKNOWN_SERVER_ERROR, newId));
                    return;
                }
                JoinGroupResponseData resp = joinResponse(g, m, j.version(), wasLeader && j.version() >= 9);
                resp.setGenerationId(generation);
                f.complete(resp);
            });
            log.info("group {}: static member {} re-joined as {} without a rebalance", g.groupId, j.instanceId(), newId);
            return f;
        }
        CompletableFuture<JoinGroupResponseData> f = new CompletableFuture<>();
        m.awaitingJoin = f;
        m.joinVersion = j.version();
        if (g.is(ClassicGroupState.PREPARING_REBALANCE)) {
            tryCompleteJoin(g);
        } else {
            prepareRebalance(g, "static member " + j.instanceId() + " re-joined with changed protocols");
        }
        return f;
    }

    // --- rebalance ------------------------------------------------------------------------------------

    void prepareRebalance(ClassicGroup g, String reason) {
        if (g.is(ClassicGroupState.COMPLETING_REBALANCE)) {
            resetAndFailSyncs(g, Errors.REBALANCE_IN_PROGRESS);
        }
        boolean initial = g.is(ClassicGroupState.EMPTY);
        g.transition(ClassicGroupState.PREPARING_REBALANCE, rt.now());
        GroupRuntime.cancel(g.joinTimer);
        int rebalanceTimeout = g.maxRebalanceTimeoutMs();
        log.info("group {}: preparing to rebalance generation {} ({})", g.groupId, g.generationId + 1, reason);
        int delay = Math.min(rt.settings().initialRebalanceDelayMs(), rebalanceTimeout);
        if (initial && delay > 0) {
            g.initialDelayRunning = true;
            g.newMemberAdded = false;
            scheduleInitialDelay(g, delay, rebalanceTimeout - delay);
        } else {
            g.initialDelayRunning = false;
            g.joinTimer = rt.schedule(() -> completeJoin(g), rebalanceTimeout);
            tryCompleteJoin(g);
        }
    }

    /**
     * The debounce of a forming group: wait {@code delay}; if members kept arriving, wait again
     * (never longer in total than the rebalance timeout), so N members joining cost one rebalance.
     */
    private void scheduleInitialDelay(ClassicGroup g, int delay, int remaining) {
        g.joinTimer = rt.schedule(() -> {
            if (!g.is(ClassicGroupState.PREPARING_REBALANCE) || !g.initialDelayRunning) {
                return;
            }
            if (g.newMemberAdded && remaining > 0) {
                g.newMemberAdded = false;
                int next = Math.min(rt.settings().initialRebalanceDelayMs(), remaining);
                scheduleInitialDelay(g, next, remaining - next);
            } else {
                completeJoin(g);
            }
        }, delay);
    }

    void tryCompleteJoin(ClassicGroup g) {
        if (g.is(ClassicGroupState.PREPARING_REBALANCE) && !g.initialDelayRunning && g.allMembersJoined()) {
            completeJoin(g);
        }
    }

    private void completeJoin(ClassicGroup g) {
        if (!g.is(ClassicGroupState.PREPARING_REBALANCE)) {
            return;
        }
        GroupRuntime.cancel(g.joinTimer);
        g.joinTimer = null;
        g.initialDelayRunning = false;
        // Dynamic members that did not re-join within the rebalance timeout are out; static ones keep their place.
        for (ClassicMember m : List.copyOf(g.members.values())) {
            if (m.awaitingJoin == null && !m.isStatic()) {
                removeMember(g, m, Errors.UNKNOWN_MEMBER_ID);
            }
        }
        g.generationId++;
        g.rebalancesCompleted++;
        if (g.members.isEmpty()) {
            g.transition(ClassicGroupState.EMPTY, rt.now());
            g.protocolName = null;
            g.leaderId = null;
            log.info("group {}: generation {} is empty", g.groupId, g.generationId);
            rt.persist(new MetadataCommand.PutGroup(persisted(g))).whenComplete((r, e) -> {
                if (e != null) {
                    log.warn("group {}: storing the empty generation failed: {}", g.groupId, e.toString());
                }
            });
            return;
        }
        if (g.leaderId == null || !g.members.containsKey(g.leaderId) || g.members.get(g.leaderId).awaitingJoin == null) {
            g.leaderId = g.members.values().stream().filter(m -> m.awaitingJoin != null).map(m -> m.memberId)
                .findFirst().orElse(g.members.keySet().iterator().next());
        }
        g.protocolName = g.selectProtocol();
        g.transition(ClassicGroupState.COMPLETING_REBALANCE, rt.now());
        g.pendingSync.clear();
        g.pendingSync.addAll(g.members.keySet());
        log.info("group {}: generation {} with {} members, protocol {}, leader {}", g.groupId, g.generationId,
            g.members.size(), g.protocolName, g.leaderId);
        for (ClassicMember m : g.members.values()) {
            m.assignment = new byte[0];
            if (m.awaitingJoin != null) {
                CompletableFuture<JoinGroupResponseData> f = m.awaitingJoin;
                m.awaitingJoin = null;
                f.complete(joinResponse(g, m, m.joinVersion, false));
            }
            scheduleSession(g, m);
        }
        int generation = g.generationId;
        int timeout = g.maxRebalanceTimeoutMs();
        g.syncTimer = rt.schedule(() -> onSyncTimeout(g, generation), timeout);
    }

    /** Members that joined a generation but never synced it are removed, and the group rebalances without them. */
    private void onSyncTimeout(ClassicGroup g, int generation) {
        if (!g.is(ClassicGroupState.COMPLETING_REBALANCE) || g.generationId != generation || g.pendingSync.isEmpty()) {
            return;
        }
        log.info("group {}: members {} did not sync generation {} in time", g.groupId, g.pendingSync, generation);
        for (String id : List.copyOf(g.pendingSync)) {
            ClassicMember m = g.members.get(id);
            if (m != null) {
                removeMember(g, m, Errors.UNKNOWN_MEMBER_ID);
            }
        }
        prepareRebalance(g, "members did not sync in time");
    }

    private void resetAndFailSyncs(ClassicGroup g, Errors error) {
        GroupRuntime.cancel(g.syncTimer);
        g.syncTimer = null;
        g.pendingSync.clear();
        for (ClassicMember m : g.members.values()) {
            m.assignment = new byte[0];
            if (m.awaitingSync != null) {
                CompletableFuture<SyncGroupResponseData> f = m.awaitingSync;
                m.awaitingSync = null;
                f.complete(new SyncGroupResponseData().setErrorCode(error.code()));
            }
        }
    }

    private void removeMember(ClassicGroup g, ClassicMember m, Errors error) {
        GroupRuntime.cancel(m.sessionTimer);
        g.members.remove(m.memberId);
        g.pendingSync.remove(m.memberId);
        if (m.isStatic() && m.memberId.equals(g.staticMembers.get(m.instanceId))) {
            g.staticMembers.remove(m.instanceId);
        }
        if (m.awaitingJoin != null) {
            m.awaitingJoin.complete(joinErrorBody(error, m.memberId));
            m.awaitingJoin = null;
        }
        if (m.awaitingSync != null) {
            m.awaitingSync.complete(new SyncGroupResponseData().setErrorCode(error.code()));
            m.awaitingSync = null;
        }
        if (m.memberId.equals(g.leaderId)) {
            g.leaderId = g.members.isEmpty() ? null : g.members.keySet().iterator().next();
        }
    }

    /** After members left or expired: a stable group rebalances, a rebalancing one may now complete. */
    private void afterMembersLeft(ClassicGroup g, String reason) {
        switch (g.state) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(g, reason);
            case PREPARING_REBALANCE -> tryCompleteJoin(g);
            default -> { }
        }
    }

    // --- sessions --------------------------------------------------------------------------------------

    void scheduleSession(ClassicGroup g, ClassicMember m) {
        GroupRuntime.cancel(m.sessionTimer);
        long token = ++m.sessionToken;
        m.sessionTimer = rt.schedule(() -> onSessionExpired(g, m, token), m.sessionTimeoutMs);
    }

    private void onSessionExpired(ClassicGroup g, ClassicMember m, long token) {
        if (m.sessionToken != token || g.members.get(m.memberId) != m) {
            return;
        }
        if (m.awaitingJoin != null || m.awaitingSync != null) {
            return; // a member waiting for our answer is alive; the rebalance and sync timeouts bound the wait
        }
        log.info("group {}: member {} session expired", g.groupId, m.memberId);
        removeMember(g, m, Errors.UNKNOWN_MEMBER_ID);
        afterMembersLeft(g, "member " + m.memberId + " session expired");
    }

    // --- SyncGroup -----------------------------------------------------------------------------------------

    CompletableFuture<SyncGroupResponseData> sync(SyncGroupRequestData req) {
        ClassicGroup g = rt.classic(req.groupId());
        if (g == null) {
            return syncError(Errors.UNKNOWN_MEMBER_ID);
        }
        if (g.isFenced(req.groupInstanceId(), req.memberId())) {
            return syncError(Errors.FENCED_INSTANCE_ID);
        }
        ClassicMember m = g.members.get(req.memberId());
        if (m == null) {
            return syncError(Errors.UNKNOWN_MEMBER_ID);
        }
        if (req.generationId() != g.generationId) {
            return syncError(Errors.ILLEGAL_GENERATION);
        }
        if ((req.protocolType() != null && !req.protocolType().equals(g.protocolType))
            || (req.protocolName() != null && !req.protocolName().equals(g.protocolName))) {
            return syncError(Errors.INCONSISTENT_GROUP_PROTOCOL);
        }
        switch (g.state) {
            case PREPARING_REBALANCE -> {
                return syncError(Errors.REBALANCE_IN_PROGRESS);
            }
            case STABLE -> {
                scheduleSession(g, m);
                return CompletableFuture.completedFuture(syncResponse(g, m));
            }
            case COMPLETING_REBALANCE -> {
                if (m.awaitingSync != null) {
                    m.awaitingSync.complete(new SyncGroupResponseData().setErrorCode(Errors.REBALANCE_IN_PROGRESS.code()));
                }
                CompletableFuture<SyncGroupResponseData> f = new CompletableFuture<>();
                m.awaitingSync = f;
                g.pendingSync.remove(m.memberId);
                if (m.memberId.equals(g.leaderId)) {
                    storeAssignment(g, req);
                }
                return f;
            }
            default -> {
                return syncError(Errors.UNKNOWN_MEMBER_ID);
            }
        }
    }

    /** The leader's assignment is persisted first; only then does any member learn it (as Kafka does). */
    private void storeAssignment(ClassicGroup g, SyncGroupRequestData req) {
        Map<String, byte[]> assignments = new HashMap<>();
        req.assignments().forEach(a -> assignments.put(a.memberId(), a.assignment()));
        int generation = g.generationId;
        for (ClassicMember m : g.members.values()) {
            m.assignment = assignments.getOrDefault(m.memberId, new byte[0]);
        }
        rt.persist(new MetadataCommand.PutGroup(persisted(g))).whenComplete((r, e) -> {
            if (!g.is(ClassicGroupState.COMPLETING_REBALANCE) || g.generationId != generation) {
                return; // the group moved on while the write was in flight; its members were told
            }
            if (e != null || !r.isOk()) {
                log.warn("group {}: storing generation {} failed: {}", g.groupId, generation,
                    e != null ? e.toString() : r.message());
                resetAndFailSyncs(g, Errors.COORDINATOR_NOT_AVAILABLE);
                prepareRebalance(g, "storing the assignment failed");
                return;
            }
            GroupRuntime.cancel(g.syncTimer);
            g.syncTimer = null;
            g.transition(ClassicGroupState.STABLE, rt.now());
            for (ClassicMember m : g.members.values()) {
                if (m.awaitingSync != null) {
                    CompletableFuture<SyncGroupResponseData> f = m.awaitingSync;
                    m.awaitingSync = null;
                    f.complete(syncResponse(g, m));
                }
                scheduleSession(g, m);
            }
            log.info("group {}: generation {} is stable", g.groupId, generation);
        });
    }

    // --- Heartbeat -----------------------------------------------------------------------------------------

    CompletableFuture<HeartbeatResponseData> heartbeat(HeartbeatRequestData req) {
        ClassicGroup g = rt.classic(req.groupId());
        Errors error;
        if (g == null) {
            error = Errors.UNKNOWN_MEMBER_ID;
        } else if (g.is(ClassicGroupState.EMPTY) || g.is(ClassicGroupState.DEAD)) {
            error = Errors.UNKNOWN_MEMBER_ID;
        } else if (g.isFenced(req.groupInstanceId(), req.memberId())) {
            error = Errors.FENCED_INSTANCE_ID;
        } else if (!g.members.containsKey(req.memberId())) {
            error = Errors.UNKNOWN_MEMBER_ID;
        } else if (req.generationId() != g.generationId) {
            error = Errors.ILLEGAL_GENERATION;
        } else {
            scheduleSession(g, g.members.get(req.memberId()));
            error = g.is(ClassicGroupState.PREPARING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
        }
        return CompletableFuture.completedFuture(new HeartbeatResponseData().setErrorCode(error.code()));
    }

    // --- LeaveGroup -------------------------------------------------------------------------------------------

    CompletableFuture<LeaveGroupResponseData> leave(LeaveGroupRequestData req, short version) {
        List<LeaveGroupRequestData.MemberIdentity> leaving = version >= 3 ? req.members()
            : List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(req.memberId()));
        ClassicGroup g = rt.classic(req.groupId());
        LeaveGroupResponseData resp = new LeaveGroupResponseData();
        boolean removed = false;
        for (var who : leaving) {
            Errors error = g == null ? Errors.UNKNOWN_MEMBER_ID : leaveOne(g, who);
            removed |= error == Errors.NONE;
            resp.members().add(new LeaveGroupResponseData.MemberResponse().setMemberId(who.memberId())
                .setGroupInstanceId(who.groupInstanceId()).setErrorCode(error.code()));
        }
        if (removed) {
            afterMembersLeft(g, "members left the group");
        }
        if (version < 3) {
            resp.setErrorCode(resp.members().get(0).errorCode());
            resp.members().clear();
        }
        return CompletableFuture.completedFuture(resp);
    }

    private Errors leaveOne(ClassicGroup g, LeaveGroupRequestData.MemberIdentity who) {
        String memberId = who.memberId();
        if (who.groupInstanceId() != null) {
            String holder = g.staticMembers.get(who.groupInstanceId());
            if (holder == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (memberId != null && !memberId.isEmpty() && !memberId.equals(holder)) {
                return Errors.FENCED_INSTANCE_ID;
            }
            memberId = holder;
        }
        var pending = g.pendingMembers.remove(memberId);
        if (pending != null) {
            GroupRuntime.cancel(pending);
            return Errors.NONE;
        }
        ClassicMember m = g.members.get(memberId);
        if (m == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        log.info("group {}: member {} left", g.groupId, memberId);
        removeMember(g, m, Errors.UNKNOWN_MEMBER_ID);
        return Errors.NONE;
    }

    /** Removes every member (DeleteGroups of an empty group, coordinator shutdown). */
    void cancelTimers(ClassicGroup g) {
        GroupRuntime.cancel(g.joinTimer);
        GroupRuntime.cancel(g.syncTimer);
        g.pendingMembers.values().forEach(GroupRuntime::cancel);
        g.members.values().forEach(m -> GroupRuntime.cancel(m.sessionTimer));
    }

    // --- responses and persistence --------------------------------------------------------------------------

    private JoinGroupResponseData joinResponse(ClassicGroup g, ClassicMember m, short version, boolean skipAssignment) {
        JoinGroupResponseData r = new JoinGroupResponseData().setErrorCode(Errors.NONE.code())
            .setGenerationId(g.generationId).setProtocolType(g.protocolType).setProtocolName(g.protocolName)
            .setLeader(g.leaderId).setMemberId(m.memberId).setSkipAssignment(skipAssignment);
        if (m.memberId.equals(g.leaderId)) {
            for (ClassicMember each : g.members.values()) {
                r.members().add(new JoinGroupResponseData.JoinGroupResponseMember().setMemberId(each.memberId)
                    .setGroupInstanceId(each.instanceId).setMetadata(each.metadata(g.protocolName)));
            }
        }
        return r;
    }

    private static SyncGroupResponseData syncResponse(ClassicGroup g, ClassicMember m) {
        return new SyncGroupResponseData().setErrorCode(Errors.NONE.code()).setProtocolType(g.protocolType)
            .setProtocolName(g.protocolName).setAssignment(m.assignment);
    }

    private static JoinGroupResponseData joinErrorBody(Errors error, String memberId) {
        return new JoinGroupResponseData().setErrorCode(error.code()).setGenerationId(-1)
            .setMemberId(memberId == null ? "" : memberId).setLeader("").setProtocolName(null);
    }

    private static CompletableFuture<JoinGroupResponseData> joinError(Errors error, String memberId) {
        return CompletableFuture.completedFuture(joinErrorBody(error, memberId));
    }

    private static CompletableFuture<SyncGroupResponseData> syncError(Errors error) {
        return CompletableFuture.completedFuture(new SyncGroupResponseData().setErrorCode(error.code()));
    }

    static PersistedGroup persisted(ClassicGroup g) {
        List<PersistedMember> members = new ArrayList<>();
        if (g.protocolName != null) {
            for (ClassicMember m : g.members.values()) {
                members.add(new PersistedMember(m.memberId, m.instanceId, m.clientId, m.clientHost, m.rebalanceTimeoutMs,
                    m.sessionTimeoutMs, m.metadata(g.protocolName), m.assignment));
            }
        }
        return new PersistedGroup(g.groupId, PersistedGroup.CLASSIC, g.protocolType, g.protocolName, g.generationId,
            g.leaderId, g.stateTimestamp, members);
    }

    /** Rebuilds a group from what was persisted: a stable generation resumes, members get a session to come back. */
    ClassicGroup restore(PersistedGroup p) {
        ClassicGroup g = new ClassicGroup(p.groupId(), p.stateTimestamp());
        g.generationId = p.generation();
        g.protocolType = p.protocolType();
        if (p.members().isEmpty() || p.protocol() == null) {
            return g;
        }
        g.protocolName = p.protocol();
        g.leaderId = p.leader();
        for (PersistedMember pm : p.members()) {
            ClassicMember m = new ClassicMember(pm.memberId(), pm.groupInstanceId(), pm.clientId(), pm.clientHost(),
                pm.sessionTimeoutMs(), pm.rebalanceTimeoutMs(), List.of(new ClassicMember.Protocol(p.protocol(), pm.subscription())));
            m.assignment = pm.assignment() == null ? new byte[0] : pm.assignment();
            g.members.put(m.memberId, m);
            if (m.isStatic()) {
                g.staticMembers.put(m.instanceId, m.memberId);
            }
        }
        g.state = ClassicGroupState.STABLE;
        for (ClassicMember m : g.members.values()) {
            scheduleSession(g, m);
        }
        return g;
    }
}
