package io.ailurus.raft;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.StateMachine;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;

import io.ailurus.raft.partition.KafkaBatchStateMachine;
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

    /**
     * The group's voting members as this replica knows them. On a leader whose term has started
     * (its state machine saw {@code onLeaderStart}) and with no change of its own in flight, this is
     * the committed configuration: jraft starts a leader only once its term's configuration entry,
     * and so every older one, is committed.
     */
    public List<PeerId> peers() {
        return node.listPeers();
    }

    /**
     * Changes the group's voting members to exactly {@code newPeers} (leader only). jraft first
     * lets every new member catch up from the leader's log, then commits the joint configuration
     * (old and new), then the new one; a leader not in {@code newPeers} steps down after that.
     * New members must be running with an empty configuration (see
     * {@link RaftNodeHost#startGroup}) so that they wait to be added instead of electing.
     *
     * @return completes when the new configuration is committed; fails with
     *         {@link RaftOperationException} (not leader, another change in progress, a new member
     *         that did not catch up within the election timeout: retry later)
     */
    public CompletableFuture<Void> changePeers(List<PeerId> newPeers) {
        return configurationChange(done -> node.changePeers(new Configuration(newPeers), done));
    }

    /**
     * The group's learners as this replica knows them (leader only, like {@link #peers()}):
     * members that receive the log but neither vote nor count towards a commit.
     *
     * @throws IllegalStateException when this replica does not lead
     */
    public List<PeerId> learners() {
        return node.listLearners();
    }

    /**
     * Adds learners (leader only). Unlike new voters, learners are not caught up before the
     * configuration changes: they never count towards a majority, so the change commits at once and
     * the leader then replicates the log (or a snapshot) to them. Adding a peer that already is a
     * learner is a no-op change. A learner must be running with an empty configuration (see
     * {@link RaftNodeHost#startGroup}) or one naming it a learner, so that it never elects itself.
     *
     * @return completes when the new configuration is committed; fails with
     *         {@link RaftOperationException} (not leader, another change in progress: retry later)
     */
    public CompletableFuture<Void> addLearners(List<PeerId> learners) {
        return configurationChange(done -> node.addLearners(learners, done));
    }

    /**
     * Runs a jraft configuration change and turns its closure into a future: completed when the new
     * configuration is committed, failed with {@link RaftOperationException} on a refusal.
     */
    private static CompletableFuture<Void> configurationChange(Consumer<Closure> change) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            change.accept(status -> {
                if (status.isOk()) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(new RaftOperationException(status));
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /** How long a transfer waits for the proposals in flight to be applied before it starts. */
    static final long TRANSFER_DRAIN_MILLIS = 500;

    /**
     * Asks this replica, if it leads, to hand leadership to {@code peer}: jraft brings the peer's
     * log up to date, then tells it to elect itself at once. A Kafka-batch group stops taking
     * proposals first and lets those in flight finish (up to {@value #TRANSFER_DRAIN_MILLIS} ms,
     * blocking the caller), so a transfer never refuses a batch whose successors get in.
     *
     * @throws RaftOperationException when jraft refuses at once (not leader, unknown peer, a
     *         transfer or membership change in progress, proposals that did not drain in time)
     */
    public void transferLeadershipTo(PeerId peer) {
        com.alipay.sofa.jraft.Status st = stateMachine instanceof KafkaBatchStateMachine batches
                ? batches.transferLeadershipTo(peer, TRANSFER_DRAIN_MILLIS)
                : node.transferLeadershipTo(peer);
        if (!st.isOk()) {
            throw new RaftOperationException(st);
        }
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
