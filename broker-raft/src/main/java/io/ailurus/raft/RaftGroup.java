package io.ailurus.raft;

import java.util.concurrent.CompletableFuture;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.StateMachine;
import com.alipay.sofa.jraft.entity.PeerId;

import io.ailurus.raft.storage.KafkaLogStorage;

/**
 * One running jraft group on this broker: its node, state machine and log storage. Created by
 * {@link RaftNodeHost#startGroup}; stopped with {@link RaftNodeHost#stopGroup} or {@link #stop()}.
 */
public final class RaftGroup {

    private final String groupId;
    private final Node node;
    private final StateMachine stateMachine;
    private final KafkaLogStorage logStorage;
    private final Runnable onStop;
    private volatile boolean stopped;

    RaftGroup(String groupId, Node node, StateMachine stateMachine, KafkaLogStorage logStorage, Runnable onStop) {
        this.groupId = groupId;
        this.node = node;
        this.stateMachine = stateMachine;
        this.logStorage = logStorage;
        this.onStop = onStop;
    }

    /** The jraft group id. */
    public String groupId() {
        return groupId;
    }

    /** The jraft node (for membership changes, leadership transfer, read-index reads). */
    public Node node() {
        return node;
    }

    /** The state machine given at start. */
    public StateMachine stateMachine() {
        return stateMachine;
    }

    /** The jraft log storage over the group's partition log. */
    public KafkaLogStorage logStorage() {
        return logStorage;
    }

    /** Whether this replica is the group's leader right now (jraft's view). */
    public boolean isLeader() {
        return node.isLeader();
    }

    /** The leader this replica knows of, or null during an election. */
    public PeerId leaderId() {
        PeerId leader = node.getLeaderId();
        return leader == null || leader.isEmpty() ? null : leader;
    }

    /**
     * Takes a snapshot now (groups started with a {@link SnapshotPolicy} only).
     *
     * @return completes when the snapshot is saved; fails with {@link RaftOperationException}
     */
    public CompletableFuture<Void> snapshot() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        node.snapshot(status -> {
            if (status.isOk()) {
                done.complete(null);
            } else {
                done.completeExceptionally(new RaftOperationException(status));
            }
        });
        return done;
    }

    /** Whether {@link #stop()} ran. */
    public boolean isStopped() {
        return stopped;
    }

    /**
     * Shuts the node down and waits for its threads to finish. The partition log stays open: its
     * owner closes it.
     */
    public void stop() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        onStop.run();
    }
}
