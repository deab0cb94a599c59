package io.ailurus.raft.controller;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import com.alipay.sofa.jraft.closure.ReadIndexClosure;
import com.alipay.sofa.jraft.entity.PeerId;

import io.ailurus.raft.RaftGroup;
import io.ailurus.raft.partition.NotLeaderException;

/**
 * What the broker uses to talk to the controller group on this node: submit commands, read the
 * model, find the leader. Single node: this node is the only member and always the leader once
 * elected. In a cluster, a follower refuses with {@link NotLeaderException} naming the leader;
 * forwarding to it is the cluster layer's job.
 *
 * @param <C> the command type
 * @param <R> the result of applying one
 */
public final class ControllerClient<C, R> {

    private final RaftGroup group;
    private final ControllerStateMachine<C, R> stateMachine;

    /**
     * @param group        the running controller group
     * @param stateMachine its state machine
     */
    public ControllerClient(RaftGroup group, ControllerStateMachine<C, R> stateMachine) {
        this.group = group;
        this.stateMachine = stateMachine;
    }

    /**
     * Proposes a command on the leader.
     *
     * @return the model's result once committed and applied; fails with
     *         {@link NotLeaderException} (naming the leader when known) on a follower
     */
    public CompletableFuture<R> submit(C command) {
        if (!stateMachine.isLeader()) {
            return CompletableFuture.failedFuture(notLeader());
        }
        return stateMachine.submit(command);
    }

    /**
     * A linearizable read: jraft's read-index protocol confirms this node still leads and waits
     * until everything committed before the read is applied, then runs {@code reader}.
     *
     * @return the reader's value; fails with {@link NotLeaderException} when not the leader
     */
    public <T> CompletableFuture<T> read(Function<? super ReplicatedStateMachineModel<C, R>, T> reader) {
        CompletableFuture<T> result = new CompletableFuture<>();
        group.node().readIndex("controller-read".getBytes(StandardCharsets.US_ASCII), new ReadIndexClosure() {
            @Override
            public void run(com.alipay.sofa.jraft.Status status, long index, byte[] reqCtx) {
                if (!status.isOk()) {
                    result.completeExceptionally(new NotLeaderException("linearizable read refused: " + status));
                    return;
                }
                try {
                    result.complete(stateMachine.read(reader));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            }
        });
        return result;
    }

    /** A read of this replica's model as applied so far (may lag the leader). */
    public <T> T readLocal(Function<? super ReplicatedStateMachineModel<C, R>, T> reader) {
        return stateMachine.read(reader);
    }

    /** Whether this node leads the controller group and accepts commands. */
    public boolean isLeader() {
        return stateMachine.isLeader();
    }

    /** The leader this node knows of, or null during an election. */
    public PeerId leader() {
        return group.leaderId();
    }

    /** The state machine (counters, model access). */
    public ControllerStateMachine<C, R> stateMachine() {
        return stateMachine;
    }

    /** The running group. */
    public RaftGroup group() {
        return group;
    }

    private NotLeaderException notLeader() {
        PeerId leader = group.leaderId();
        return new NotLeaderException("this node is not the controller leader"
                + (leader == null ? " (election in progress)" : "; the leader is " + leader));
    }
}
