package io.ailurus.core.group;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;

/** One member of a classic group: identity, timeouts, protocols, assignment and what it waits for. */
final class ClassicMember {
    /** A protocol the member supports, with its subscription metadata (opaque to the broker). */
    record Protocol(String name, byte[] metadata) {}

    final String memberId;
    final String instanceId;
    String clientId;
    String clientHost;
    int sessionTimeoutMs;
    int rebalanceTimeoutMs;
    List<Protocol> protocols;
    byte[] assignment = new byte[0];

    /** Completed when the join phase ends (null when the member is not waiting in JoinGroup). */
    CompletableFuture<JoinGroupResponseData> awaitingJoin;
    short joinVersion;
    /** Completed when the leader's assignment is stored (null when not waiting in SyncGroup). */
    CompletableFuture<SyncGroupResponseData> awaitingSync;
    ScheduledFuture<?> sessionTimer;
    /** Bumped on every heartbeat so a timer that fires late for an old deadline is ignored. */
    long sessionToken;

    ClassicMember(String memberId, String instanceId, String clientId, String clientHost, int sessionTimeoutMs,
                  int rebalanceTimeoutMs, List<Protocol> protocols) {
        this.memberId = memberId;
        this.instanceId = instanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.protocols = protocols;
    }

    byte[] metadata(String protocol) {
        for (Protocol p : protocols) {
            if (p.name().equals(protocol)) {
                return p.metadata();
            }
        }
        return new byte[0];
    }

    boolean supports(String protocol) {
        return protocols.stream().anyMatch(p -> p.name().equals(protocol));
    }

    /** Same protocols, in the same order, with the same metadata: a re-join that changes nothing. */
    boolean sameProtocols(List<Protocol> other) {
        if (other.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < other.size(); i++) {
            if (!other.get(i).name().equals(protocols.get(i).name())
                || !java.util.Arrays.equals(other.get(i).metadata(), protocols.get(i).metadata())) {
                return false;
            }
        }
        return true;
    }

    boolean isStatic() {
        return instanceId != null;
    }
}
