package io.ailurus.core.cluster;

import io.ailurus.core.metadata.CommandResult;

/**
 * The controller leader's answer to a forwarded command (JSON on the wire).
 *
 * @param status       {@code ok}, {@code not_leader} (ask again, elsewhere) or {@code failed}
 * @param result       the command's result when {@code ok}
 * @param appliedIndex the leader's applied index after the command: the forwarder waits for its own
 *                     replica to reach it
 * @param message      why it failed
 */
record ForwardReply(String status, CommandResult result, long appliedIndex, String message) {
    static final String OK = "ok";
    static final String NOT_LEADER = "not_leader";
    static final String FAILED = "failed";
}
