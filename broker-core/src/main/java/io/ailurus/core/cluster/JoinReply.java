package io.ailurus.core.cluster;

/**
 * A controller replica's answer to a broker asking to join the controller group (JSON on the wire).
 *
 * @param status       {@code ok} (the asker is a member: a learner, or a voter already), {@code not_leader}
 *                     (ask {@code leader}, or again later) or {@code failed} (retry later)
 * @param appliedIndex when {@code ok}: the leader's applied index; once the asker's replica has
 *                     applied it, its metadata image is at least as new as the leader's was
 * @param leader       when {@code not_leader}: the leader's RPC endpoint as the answering replica
 *                     knows it, or null during an election
 * @param message      why it failed
 */
record JoinReply(String status, long appliedIndex, String leader, String message) {
    static final String OK = "ok";
    static final String NOT_LEADER = "not_leader";
    static final String FAILED = "failed";
}
