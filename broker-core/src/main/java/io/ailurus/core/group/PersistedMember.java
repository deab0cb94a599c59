package io.ailurus.core.group;

/**
 * A member of a classic group as Kafka persists it when a generation becomes stable: who it is,
 * its timeouts, the subscription metadata of the selected protocol and the assignment the leader
 * gave it. Byte arrays are opaque to the broker (the client's embedded protocol).
 */
public record PersistedMember(String memberId, String groupInstanceId, String clientId, String clientHost,
                              int rebalanceTimeoutMs, int sessionTimeoutMs, byte[] subscription, byte[] assignment) {}
