package io.ailurus.core.controller;

import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;
import io.ailurus.core.cluster.AppliedIndexWaiters;
import io.ailurus.core.cluster.ControllerForwarder;
import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.metadata.BrokerInfo;
import io.ailurus.core.metadata.CommandResult;
import io.ailurus.core.metadata.MetadataCommand;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.MetadataState;
import io.ailurus.raft.RaftGroup;
import io.ailurus.raft.RaftNodeHost;
import io.ailurus.raft.SnapshotPolicy;
import io.ailurus.raft.controller.ControllerClient;
import io.ailurus.raft.controller.ControllerStateMachine;
import io.ailurus.raft.partition.PartitionListener;
import com.alipay.sofa.jraft.util.Endpoint;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import io.ailurus.storage.LogConfig;
import io.ailurus.storage.LogManager;
import io.ailurus.storage.PartitionLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller Raft group on this node and the cluster metadata it replicates: the handlers'
 * {@link ClusterView}. Its log is a broker-storage log like any partition's (commands are record
 * batches), snapshotted so restarts replay only the tail.
 */
public final class MetadataController implements ClusterView, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetadataController.class);
    /** The controller's Raft group id (metrics tell it apart from the partition groups by it). */
    public static final String GROUP_ID = "controller";
    static final String LOG_NAME = "raft/controller";
    private static final int SNAPSHOT_INTERVAL_SECS = 300;
    private static final int MAX_INFLIGHT_COMMANDS = 256;

    private final int nodeId;
    private final MetadataState state;
    private final ControllerStateMachine<MetadataCommand, CommandResult> stateMachine;
    private final RaftGroup group;
    private final ControllerClient<MetadataCommand, CommandResult> client;
    private final PartitionLog controllerLog;
    private final AppliedIndexWaiters applied = new AppliedIndexWaiters();
    /** Retries of forwarded commands and the cluster agent's periodic work; one thread per broker. */
    private final ScheduledExecutorService scheduler;
    private final ControllerForwarder forwarder;
    private volatile boolean closed;

    private MetadataController(int nodeId, MetadataState state, ControllerStateMachine<MetadataCommand, CommandResult> sm,
                               RaftGroup group, PartitionLog controllerLog, RaftNodeHost raft) {
        this.nodeId = nodeId;
        this.state = state;
        this.stateMachine = sm;
        this.group = group;
        this.client = new ControllerClient<>(group, sm);
        this.controllerLog = controllerLog;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ailurus-controller-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        sm.addListener(new PartitionListener() {
            @Override
            public void onCommitted(long commitIndex, long highWatermark) {
                applied.advanceTo(commitIndex);
            }
        });
        applied.advanceTo(sm.commitIndex());
        this.forwarder = new ControllerForwarder(raft.internalRpc(), new ControllerForwarder.LocalController() {
            @Override public boolean isLeader() { return client.isLeader(); }
            @Override public Endpoint leaderEndpoint() { return MetadataController.this.leaderEndpoint(); }
            @Override public CompletableFuture<CommandResult> submitLocal(MetadataCommand c) { return client.submit(c); }
            @Override public long appliedIndex() { return sm.commitIndex(); }
            @Override public CompletableFuture<Void> awaitApplied(long index) { return applied.await(index); }
        }, scheduler, () -> closed);
        // Brokers that are not seeds ask any controller replica to be added as learners.
        io.ailurus.core.cluster.LearnerAdmission.register(raft.internalRpc(), group, client::isLeader,
            this::leaderEndpoint, sm::commitIndex);
    }

    /**
     * Starts (or restarts) the controller group on this node.
     *
     * @param members the founding members' Raft endpoints, the group's voters (just this node for a
     *                single-node cluster); empty on a broker that is not a seed: it waits to be added as a
     *                learner (see {@link io.ailurus.core.cluster.ControllerJoiner}), and after a restart
     *                its log names it one
     * @param onChange called with every new metadata image, on the apply thread
     */
    public static MetadataController start(int nodeId, RaftNodeHost raft, LogManager logs, Path metaDir,
                                           List<PeerId> members, Consumer<MetadataImage> onChange) throws IOException {
        MetadataState state = new MetadataState();
        state.onChange(onChange);
        var sm = new ControllerStateMachine<>(GROUP_ID, state, MAX_INFLIGHT_COMMANDS);
        PartitionLog controllerLog = logs.openLog(LOG_NAME, LogConfig.defaults()
            .withSegmentBytes(64 << 20).withRetentionMs(-1).withPreallocateBytes(1 << 20));
        Configuration conf = new Configuration(members);
        RaftGroup group = raft.startGroup(GROUP_ID, raft.peerId(), conf, sm, controllerLog, metaDir,
            SnapshotPolicy.every(SNAPSHOT_INTERVAL_SECS), sm::nextOffsetOnReset);
        return new MetadataController(nodeId, state, sm, group, controllerLog, raft);
    }

    /** Waits until the group has a leader (a single node elects itself at once); false on timeout. */
    public boolean awaitLeader(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            PeerId leader = group.leaderId();
            // When this node is the one elected, wait until its state machine has taken over too
            // (onLeaderStart), or the first commands would be refused as "not leader".
            boolean elsewhere = leader != null && !leader.isEmpty() && !leader.equals(group.node().getNodeId().getPeerId());
            if (client.isLeader() || elsewhere) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    public boolean isLeader() {
        return client.isLeader();
    }

    /** The Raft index of the last command this replica applied. */
    public long appliedIndex() {
        return stateMachine.commitIndex();
    }

    /** Completes once this replica has applied the log up to {@code index} (at once if it has). */
    public CompletableFuture<Void> awaitApplied(long index) {
        return applied.await(index);
    }

    /** The controller leader's RPC endpoint as this replica knows it, or null during an election. */
    public Endpoint leaderEndpoint() {
        PeerId leader = group.leaderId();
        return leader == null || leader.isEmpty() ? null : leader.getEndpoint();
    }

    /** The shared scheduler of the controller and the cluster agent (periodic, quick tasks only). */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** The controller group on this node (membership changes, leadership). */
    public RaftGroup group() {
        return group;
    }

    @Override
    public int nodeId() {
        return nodeId;
    }

    @Override
    public String clusterId() {
        String id = state.image().clusterId();
        return id == null ? "" : id;
    }

    @Override
    public int controllerId() {
        if (client.isLeader()) {
            return nodeId;
        }
        PeerId leader = group.leaderId();
        if (leader == null || leader.isEmpty()) {
            return -1;
        }
        String rpc = leader.getEndpoint().toString();
        for (BrokerInfo b : state.image().brokers().values()) {
            if (rpc.equals(b.rpcAddress())) {
                return b.nodeId();
            }
        }
        return -1;
    }

    @Override
    public MetadataImage image() {
        return state.image();
    }

    /** Consumer groups' committed offsets and persisted metadata, replicated with the metadata. */
    public io.ailurus.core.group.GroupStore groups() {
        return state.groups();
    }

    /** Transactional ids' state, replicated with the metadata (the transaction coordinator's store). */
    public io.ailurus.core.txn.TxnStore txns() {
        return state.txns();
    }

    @Override
    public CompletableFuture<CommandResult> submit(MetadataCommand command) {
        // On the leader this proposes locally; elsewhere it is forwarded to the leader (see ControllerForwarder).
        return forwarder.submit(command);
    }

    /** Takes a snapshot now (tests, and before a planned shutdown to make the next start quick). */
    public CompletableFuture<Void> snapshot() {
        return group.snapshot();
    }

    public long snapshotsLoaded() {
        return stateMachine.snapshotsLoaded();
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        group.stop();
        controllerLog.close();
        log.info("controller stopped");
    }
}
