package io.ailurus.raft;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.NodeManager;
import com.alipay.sofa.jraft.RaftServiceFactory;
import com.alipay.sofa.jraft.StateMachine;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.rpc.RpcServer;
import com.alipay.sofa.jraft.rpc.impl.BoltRpcServer;
import com.alipay.sofa.jraft.rpc.impl.PingRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.cli.AddLearnersRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.cli.AddPeerRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.cli.ChangePeersRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.cli.GetLeaderRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.cli.GetPeersRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.cli.RemoveLearnersRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.cli.RemovePeerRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.cli.ResetLearnersRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.cli.ResetPeerRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.cli.SnapshotRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.cli.TransferLeaderRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.GetFileRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.InstallSnapshotRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.ReadIndexRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.RequestVoteRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.TimeoutNowRequestProcessor;
import com.alipay.sofa.jraft.util.Endpoint;
import com.alipay.sofa.jraft.util.NamedThreadFactory;

import io.ailurus.raft.rpc.InternalRpc;
import io.ailurus.raft.rpc.SharedClientRaftRpcFactory;
import io.ailurus.raft.rpc.StripedAppendEntriesProcessor;
import io.ailurus.raft.storage.KafkaLogServiceFactory;
import io.ailurus.raft.storage.KafkaLogStorage;
import io.ailurus.storage.PartitionLog;

/**
 * Hosts every jraft group of one broker behind one RPC server.
 *
 * <p>jraft's per-group cost is what limits how many replicated partitions a node can hold, so
 * everything that can be shared is: one bolt RPC server (jraft routes each request to its group
 * by group id) with one pool of Raft RPC threads, jraft's process-wide timer pools (election,
 * vote, step-down, snapshot and the scheduler), and small per-group queues (see
 * {@link RaftHostConfig}), and one RPC client: jraft builds a client service inside each node, but
 * the clients it gets all share one bolt client, so one connection per peer
 * ({@link io.ailurus.raft.rpc.SharedClientRaftRpcFactory}). What stays per group is jraft's
 * queues' threads. Followers handle append entries on a few stripes shared by all groups
 * ({@link StripedAppendEntriesProcessor}) rather than on a thread per leader-follower pair.
 *
 * <p>Group ids are global in the JVM (jraft's {@code NodeManager} is a singleton); a broker's
 * groups are distinct by id, and several hosts in one JVM (tests) are distinct by endpoint.
 */
public final class RaftNodeHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RaftNodeHost.class);
    private static final int BIND_ATTEMPTS = 5;

    static {
        // bolt logs through sofa-common-tools, whose logback adapter predates logback 1.5 and dies
        // with a NoSuchMethodError stack trace at the first RPC. Its logs are connection chatter;
        // jraft reports RPC failures through slf4j itself. An explicit setting wins.
        if (System.getProperty("sofa.middleware.log.disable") == null) {
            System.setProperty("sofa.middleware.log.disable", "true");
        }
    }

    private final RaftHostConfig config;
    private final Endpoint endpoint;
    private final RpcServer rpcServer;
    private final ExecutorService raftRpcExecutor;
    private final ExecutorService cliRpcExecutor;
    private final List<ExecutorService> appendStripes;
    private final InternalRpc internalRpc;
    private final ExecutorService internalRpcExecutor;
    private final Map<String, RaftGroup> groups = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile RaftObserver observer = RaftObserver.NONE;
    /** Handed to every state machine: forwards to whatever {@link #setObserver} set last. */
    private final RaftObserver forwardingObserver = new RaftObserver() {
        @Override
        public void proposalApplied(String groupId, long nanos) {
            observer.proposalApplied(groupId, nanos);
        }

        @Override
        public void leaderStarted(String groupId, long term) {
            observer.leaderStarted(groupId, term);
        }

        @Override
        public void leaderStopped(String groupId) {
            observer.leaderStopped(groupId);
        }
    };

    private RaftNodeHost(RaftHostConfig config, Endpoint endpoint, RpcServer rpcServer,
            ExecutorService raftRpcExecutor, ExecutorService cliRpcExecutor, List<ExecutorService> appendStripes,
            InternalRpc internalRpc, ExecutorService internalRpcExecutor) {
        this.appendStripes = appendStripes;
        this.config = config;
        this.internalRpc = internalRpc;
        this.internalRpcExecutor = internalRpcExecutor;
        this.endpoint = endpoint;
        this.rpcServer = rpcServer;
        this.raftRpcExecutor = raftRpcExecutor;
        this.cliRpcExecutor = cliRpcExecutor;
    }

    /**
     * Starts the broker's Raft RPC server.
     *
     * @param host   the address to listen on and to advertise to peers (e.g. 127.0.0.1)
     * @param port   the port; 0 picks a free one (tests)
     * @param config tuning shared by all groups
     * @throws IOException when the port cannot be bound
     */
    public static RaftNodeHost start(String host, int port, RaftHostConfig config) throws IOException {
        ExecutorService raftRpc = Executors.newFixedThreadPool(config.raftRpcThreads(),
                new NamedThreadFactory("ailurus-raft-rpc-", true));
        ExecutorService cliRpc = Executors.newFixedThreadPool(config.cliRpcThreads(),
                new NamedThreadFactory("ailurus-raft-cli-", true));
        ExecutorService internalExec = Executors.newFixedThreadPool(2,
                new NamedThreadFactory("ailurus-internal-rpc-", true));
        InternalRpc internal = new InternalRpc(internalExec);
        List<ExecutorService> stripes = new ArrayList<>();
        for (int i = 0; i < config.raftRpcThreads(); i++) {
            stripes.add(Executors.newSingleThreadExecutor(new NamedThreadFactory("ailurus-raft-append-" + i + "-", true)));
        }
        IOException last = null;
        for (int attempt = 0; attempt < (port == 0 ? BIND_ATTEMPTS : 1); attempt++) {
            int candidate = port == 0 ? freePort(host) : port;
            Endpoint endpoint = new Endpoint(host, candidate);
            // jraft's own factory binds every interface; bolt's (ip, port) constructor binds only
            // the address we were given.
            RpcServer server = new BoltRpcServer(new com.alipay.remoting.rpc.RpcServer(host, candidate, true));
            registerRaftProcessors(server, raftRpc, cliRpc, stripes);
            server.registerProcessor(internal.processor());
            boolean started;
            try {
                started = server.init(null);
            } catch (RuntimeException e) {
                started = false;
                last = new IOException("cannot bind the Raft RPC server to " + endpoint + ": " + e.getMessage(), e);
            }
            if (started) {
                NodeManager.getInstance().addAddress(endpoint);
                LOG.info("Raft RPC server listening on {}", endpoint);
                return new RaftNodeHost(config, endpoint, server, raftRpc, cliRpc, stripes, internal, internalExec);
            }
            safeShutdown(server);
            if (last == null) {
                last = new IOException("cannot bind the Raft RPC server to " + endpoint);
            }
        }
        raftRpc.shutdownNow();
        cliRpc.shutdownNow();
        stripes.forEach(ExecutorService::shutdownNow);
        internalExec.shutdownNow();
        throw last;
    }

    /** The address peers reach this broker's groups at. */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** This broker's identity in a group: its endpoint. */
    public PeerId peerId() {
        return new PeerId(endpoint, 0);
    }

    /**
     * Broker-to-broker calls on this host's RPC server and one shared client (controller
     * forwarding, heartbeats): register handlers by kind, call peers by endpoint.
     */
    public InternalRpc internalRpc() {
        return internalRpc;
    }

    /** The shared tuning. */
    public RaftHostConfig config() {
        return config;
    }

    /**
     * Starts a group without snapshots (a partition: the log is its state). See
     * {@link #startGroup(String, PeerId, Configuration, StateMachine, PartitionLog, Path, SnapshotPolicy, LongSupplier)}.
     */
    public RaftGroup startGroup(String groupId, PeerId self, Configuration initialConf, StateMachine fsm,
            PartitionLog log, Path metaDir) throws IOException {
        return startGroup(groupId, self, initialConf, fsm, log, metaDir, SnapshotPolicy.NONE, () -> 0L);
    }

    /**
     * Starts (or restarts) one group on this broker.
     *
     * @param groupId          unique on the broker, e.g. {@code "orders-3"} or {@code "controller"}
     * @param self             this broker in the group; must be {@link #peerId()}
     * @param initialConf      the founding members; used only when the log holds no configuration
     * @param fsm              the state machine ({@link NodeAware} ones get the node)
     * @param log              the group's log; stays owned by the caller (close it after stopping)
     * @param metaDir          where jraft keeps its term/vote file and, with snapshots, snapshots
     * @param snapshots        snapshot policy ({@link SnapshotPolicy#NONE} for partitions)
     * @param nextOffsetOnReset the Kafka offset the log restarts at when jraft resets it after
     *                         installing a leader's snapshot (the state machine knows it)
     * @throws IOException when the meta directory cannot be created or jraft refuses to start
     */
    public RaftGroup startGroup(String groupId, PeerId self, Configuration initialConf, StateMachine fsm,
            PartitionLog log, Path metaDir, SnapshotPolicy snapshots, LongSupplier nextOffsetOnReset)
            throws IOException {
        if (closed) {
            throw new IllegalStateException("Raft host " + endpoint + " is closed");
        }
        if (!self.getEndpoint().equals(endpoint)) {
            throw new IllegalArgumentException("group " + groupId + ": self " + self
                    + " is not this host's endpoint " + endpoint);
        }
        if (groups.containsKey(groupId)) {
            throw new IllegalStateException("group " + groupId + " is already running on " + endpoint);
        }
        Files.createDirectories(metaDir);
        KafkaLogStorage storage = new KafkaLogStorage(groupId, log, nextOffsetOnReset, metaDir);
        NodeOptions options = nodeOptions(groupId, initialConf, fsm, metaDir, snapshots, storage);
        if (snapshots.enabled()) {
            Files.createDirectories(metaDir.resolve("snapshot"));
        }
        if (fsm instanceof io.ailurus.raft.partition.KafkaBatchStateMachine observed) {
            // Before the node starts: its first election may be won before createAndInitRaftNode returns.
            observed.observeWith(groupId, forwardingObserver);
        }
        Node node;
        try {
            node = RaftServiceFactory.createAndInitRaftNode(groupId, self, options);
        } catch (IllegalStateException e) {
            throw new IOException("jraft group " + groupId + " failed to start: " + e.getMessage(), e);
        }
        if (fsm instanceof NodeAware aware) {
            aware.attach(node);
        }
        RaftGroup group = new RaftGroup(groupId, node, fsm, storage, () -> shutdownNode(groupId, node));
        groups.put(groupId, group);
        LOG.info("group {} started on {} with conf {}", groupId, endpoint, initialConf);
        return group;
    }

    /** Stops a group started here; the partition log stays open. No-op for unknown ids. */
    public void stopGroup(String groupId) {
        RaftGroup group = groups.get(groupId);
        if (group != null) {
            group.stop();
        }
    }

    /** The running group with this id, or null. */
    public RaftGroup group(String groupId) {
        return groups.get(groupId);
    }

    /**
     * Sets the metrics hooks of every group on this host, those already running included
     * ({@link io.ailurus.raft.partition.KafkaBatchStateMachine}s report to it); null for none.
     */
    public void setObserver(RaftObserver observer) {
        this.observer = observer == null ? RaftObserver.NONE : observer;
    }

    /** Number of groups running here. */
    public int groupCount() {
        return groups.size();
    }

    /** Stops every group, then the RPC server and its threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (RaftGroup group : List.copyOf(groups.values())) {
            group.stop();
        }
        NodeManager.getInstance().removeAddress(endpoint);
        internalRpc.close();
        safeShutdown(rpcServer);
        SharedClientRaftRpcFactory.closeConnectionsTo(endpoint);
        internalRpcExecutor.shutdownNow();
        raftRpcExecutor.shutdownNow();
        cliRpcExecutor.shutdownNow();
        appendStripes.forEach(ExecutorService::shutdownNow);
        LOG.info("Raft host {} closed", endpoint);
    }

    private NodeOptions nodeOptions(String groupId, Configuration initialConf, StateMachine fsm, Path metaDir,
            SnapshotPolicy snapshots, KafkaLogStorage storage) {
        NodeOptions options = new NodeOptions();
        options.setElectionTimeoutMs(config.electionTimeoutMs());
        options.setInitialConf(initialConf.copy());
        options.setFsm(fsm);
        options.setServiceFactory(new KafkaLogServiceFactory(storage));
        // jraft insists on a non-blank log URI; ours names the group (the storage is injected).
        options.setLogUri("ailurus-log:" + groupId);
        options.setRaftMetaUri(metaDir.resolve("raft-meta").toString());
        if (snapshots.enabled()) {
            options.setSnapshotUri(metaDir.resolve("snapshot").toString());
            options.setSnapshotIntervalSecs(snapshots.intervalSecs());
            options.setSnapshotLogIndexMargin(snapshots.logIndexMargin());
        }
        // Process-wide timers instead of four timer threads per group.
        options.setSharedTimerPool(true);
        options.setTimerPoolSize(config.timerPoolThreads());
        options.setSharedElectionTimer(true);
        options.setSharedVoteTimer(true);
        options.setSharedStepDownTimer(true);
        options.setSharedSnapshotTimer(true);
        options.setEnableMetrics(false);
        options.setRpcDefaultTimeout(config.rpcTimeoutMs());
        // Each node's client service has its own pool for the callbacks of votes, timeout-now and
        // read-index calls (jraft: 80 max, 26 core; append entries and heartbeats use jraft's shared
        // append-entries executors instead). jraft sizes the core at a third of this: 2 gives no core
        // thread, so an idle group keeps none (one starts for an election and dies 60 s later).
        options.setRpcProcessorThreadPoolSize(2);
        // The CLI service (membership RPCs) is served by the shared server; nodes need not be told.
        RaftOptions raft = new RaftOptions();
        raft.setDisruptorBufferSize(config.disruptorBufferSize());
        raft.setElectionHeartbeatFactor(config.electionHeartbeatFactor());
        // Raft's safety rests on the term and vote surviving a crash: fsync them (jraft: off).
        raft.setSyncMeta(true);
        raft.setSync(true);
        options.setRaftOptions(raft);
        return options;
    }

    private void shutdownNode(String groupId, Node node) {
        groups.remove(groupId);
        try {
            node.shutdown();
            node.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while waiting for group {} to stop", groupId);
        } catch (RuntimeException e) {
            LOG.warn("group {} did not stop cleanly", groupId, e);
        }
        LOG.info("group {} stopped on {}", groupId, endpoint);
    }

    /**
     * jraft's Raft and CLI request processors (as {@code RaftRpcServerFactory#addRaftRequestProcessors}
     * registers them), except that append entries run on {@code stripes} shared by all groups
     * instead of on a thread per leader-follower pair ({@link StripedAppendEntriesProcessor}).
     */
    private static void registerRaftProcessors(RpcServer server, Executor raft, Executor cli,
            List<? extends Executor> stripes) {
        StripedAppendEntriesProcessor appendEntries = new StripedAppendEntriesProcessor(raft, List.copyOf(stripes));
        server.registerConnectionClosedEventListener(appendEntries);
        server.registerProcessor(appendEntries);
        server.registerProcessor(new GetFileRequestProcessor(raft));
        server.registerProcessor(new InstallSnapshotRequestProcessor(raft));
        server.registerProcessor(new RequestVoteRequestProcessor(raft));
        server.registerProcessor(new PingRequestProcessor(null));
        server.registerProcessor(new TimeoutNowRequestProcessor(raft));
        server.registerProcessor(new ReadIndexRequestProcessor(raft));
        server.registerProcessor(new AddPeerRequestProcessor(cli));
        server.registerProcessor(new RemovePeerRequestProcessor(cli));
        server.registerProcessor(new ResetPeerRequestProcessor(cli));
        server.registerProcessor(new ChangePeersRequestProcessor(cli));
        server.registerProcessor(new GetLeaderRequestProcessor(cli));
        server.registerProcessor(new SnapshotRequestProcessor(cli));
        server.registerProcessor(new TransferLeaderRequestProcessor(cli));
        server.registerProcessor(new GetPeersRequestProcessor(cli));
        server.registerProcessor(new AddLearnersRequestProcessor(cli));
        server.registerProcessor(new RemoveLearnersRequestProcessor(cli));
        server.registerProcessor(new ResetLearnersRequestProcessor(cli));
    }

    private static void safeShutdown(RpcServer server) {
        try {
            server.shutdown();
        } catch (RuntimeException e) {
            LOG.warn("Raft RPC server shutdown failed", e);
        }
    }

    /** A port free right now on {@code host}; bind races are retried by {@link #start}. */
    private static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return socket.getLocalPort();
        }
    }

    /** Waits at most {@code timeoutMs} for the pools to finish (after {@link #close}). */
    boolean awaitTermination(long timeoutMs) throws InterruptedException {
        return raftRpcExecutor.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS)
                && cliRpcExecutor.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS);
    }
}
