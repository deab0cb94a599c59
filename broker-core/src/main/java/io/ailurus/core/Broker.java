package io.ailurus.core;

import io.ailurus.core.admin.BrokerAdmin;
import io.ailurus.core.config.BrokerConfig;
import io.ailurus.core.config.HostPort;
import io.ailurus.core.config.Listener;
import io.ailurus.core.cluster.ClusterAgent;
import io.ailurus.core.cluster.ControllerJoiner;
import io.ailurus.core.cluster.ControllerRole;
import io.ailurus.core.controller.MetadataController;
import io.ailurus.core.fetch.FetchSessionCache;
import io.ailurus.core.group.GroupCoordinator;
import io.ailurus.core.kafka.KafkaApis;
import io.ailurus.core.launcher.VersionInfo;
import io.ailurus.core.metadata.MetadataCommand;
import io.ailurus.core.partition.PartitionManager;
import io.ailurus.core.partition.TransactionVerifier;
import io.ailurus.core.partition.ReplicatedPartitionFactory;
import io.ailurus.core.shard.ShardSet;
import io.ailurus.core.topic.TopicConfigs;
import io.ailurus.core.txn.TransactionService;
import io.ailurus.protocol.ProtocolConfig;
import io.ailurus.protocol.RequestDispatcher;
import io.ailurus.raft.RaftHostConfig;
import io.ailurus.raft.RaftNodeHost;
import io.ailurus.storage.LogManager;
import io.ailurus.storage.StorageConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running broker: storage, the Raft host and controller group, the shards (Netty event loops)
 * with their partitions, and the Kafka listeners. {@link #start} returns once the broker answers
 * Kafka requests; {@link #close} stops it in the reverse order, flushing everything.
 */
public final class Broker implements BrokerRuntime {
    private static final Logger log = LoggerFactory.getLogger(Broker.class);
    /**
     * How long a starting broker waits for the controller group: for a leader (a seed), or to be
     * added as a learner and catch up (any other broker). Tests shorten it to see a start fail.
     */
    static Duration controllerStartTimeout() {
        return Duration.ofMillis(Long.getLong("ailurus.controller.start.timeout.ms", 60_000));
    }

    private final BrokerConfig config;
    private final List<AutoCloseable> closeInOrder = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<Channel> listeners = new ArrayList<>();
    private EventLoopGroup acceptors;
    private EventLoopGroup shardLoops;
    private LogManager logs;
    private RaftNodeHost raft;
    private MetadataController controller;
    private PartitionManager partitions;
    private io.ailurus.storage.LogCleaner cleaner;
    private ClusterAgent clusterAgent;
    private io.ailurus.core.cluster.ReassignmentDriver replicaMover;
    private BrokerAdmin admin;
    private GroupCoordinator groups;
    private TransactionService transactions;
    private volatile boolean closed;

    private Broker(BrokerConfig config) {
        this.config = config;
    }

    /** Starts a broker from a validated configuration; on failure everything already started is stopped. */
    public static Broker start(BrokerConfig config) throws Exception {
        Broker broker = new Broker(config);
        try {
            broker.startAll();
            return broker;
        } catch (Exception | Error e) {
            broker.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        Path dataDir = config.dataDirectory();
        logs = LogManager.open(dataDir, StorageConfig.defaults());

        boolean epoll = Epoll.isAvailable();
        acceptors = epoll ? new EpollEventLoopGroup(1, new DefaultThreadFactory("ailurus-accept"))
            : new NioEventLoopGroup(1, new DefaultThreadFactory("ailurus-accept"));
        shardLoops = epoll ? new EpollEventLoopGroup(config.smp(), new DefaultThreadFactory("ailurus-shard"))
            : new NioEventLoopGroup(config.smp(), new DefaultThreadFactory("ailurus-shard"));
        ShardSet shards = new ShardSet(shardLoops);

        TopicConfigs topicConfigs = new TopicConfigs(config.cluster());
        partitions = new PartitionManager(config.nodeId(), logs, shards, topicConfigs);
        admin = BrokerAdmin.create(config, logs, partitions, VersionInfo.version());
        // Compaction of cleanup.policy=compact topics: its own thread per data directory, off the event loops.
        cleaner = io.ailurus.core.compaction.LogCompaction.start(logs, config.cluster());
        io.ailurus.core.compaction.CompactionMetrics.bind(cleaner.stats(), admin.metrics().internalRegistry());
        // Until the transaction coordinator verifies partitions (KIP-890), every transactional batch is accepted.
        partitions.setTransactionVerifier(TransactionVerifier.ACCEPT_ALL);

        HostPort rpc = config.rpcServer();
        String rpcHost = rpc.isWildcard() ? config.advertisedRpcApi().host() : rpc.host();
        raft = RaftNodeHost.start(rpcHost, rpc.port(), RaftHostConfig.defaults()
            .withElectionTimeoutMs(config.cluster().electionTimeoutMs()));
        raft.setObserver(admin.raftObserver());
        // Partitions with two or more replicas are jraft groups on this host (opened as the controller applies).
        partitions.enableReplication(new ReplicatedPartitionFactory(config.nodeId(), raft,
            dataDir.resolve("raft/partitions"), () -> controller.image()));
        Duration controllerTimeout = controllerStartTimeout();
        ControllerRole role = ControllerRole.of(config.seedServers(), raft.peerId());
        controller = MetadataController.start(config.nodeId(), raft, logs, dataDir.resolve("raft/controller-meta"),
            role.initialVoters(), image -> {
                partitions.apply(image);
                admin.onMetadata(image);
            });
        if (role.joins()) {
            // Not a seed: the controller leader adds this broker as a learner, then its replica catches up.
            ControllerJoiner.join(raft.internalRpc(), raft.peerId(), role.seedEndpoints(), controller,
                controllerTimeout);
        }
        if (!controller.awaitLeader(controllerTimeout)) {
            throw new IOException("the controller group elected no leader within " + controllerTimeout.toSeconds()
                + " s; check that the seed servers " + config.seedServers() + " are up and reachable");
        }

        groups = GroupCoordinator.start(controller, controller.groups(), topicConfigs);
        admin.watchGroupLag(controller.groups());
        transactions = TransactionService.start(controller, controller.txns(), partitions, topicConfigs, raft.internalRpc());
        partitions.setTransactionVerifier(transactions.verifier());
        RequestDispatcher dispatcher = KafkaApis.create(controller, partitions, topicConfigs,
            new FetchSessionCache(1000), config.cluster().fetchMaxBytes(), groups, transactions,
            admin.requestObserver(controller::image));
        ProtocolConfig protocol = ProtocolConfig.defaults().withMaxRequestBytes(config.cluster().kafkaRequestMaxBytes())
            .withMetrics(admin.protocolMetrics());
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        for (Listener l : config.kafkaApi()) {
            ServerBootstrap b = new ServerBootstrap()
                .group(acceptors, shardLoops)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        admin.countConnection(ch);
                        ch.pipeline().addLast(new io.ailurus.protocol.KafkaChannelInitializer(protocol, dispatcher));
                    }
                });
            Channel ch = b.bind(l.address().toSocketAddress()).sync().channel();
            listeners.add(ch);
            log.info("Kafka API listening on {} ({})", ch.localAddress(), l.name());
        }
        admin.start(controller, shards, topicConfigs);
        registerSelf();
        clusterAgent = ClusterAgent.start(config.nodeId(), controller, partitions, raft.internalRpc(),
            () -> topicConfigs.cluster(controller.image()).get(io.ailurus.core.config.ClusterConfigKeys.ENABLE_LEADER_BALANCER));
        // Replica moves (reassignments, decommissioning) and ElectLeaders.
        replicaMover = io.ailurus.core.cluster.ReassignmentDriver.start(controller, partitions);
        partitions.setLeaderElections(io.ailurus.core.cluster.PreferredLeaderElector.start(controller, partitions,
            raft.internalRpc(), config.cluster().electionTimeoutMs()));
        admin.markReady();
        log.info("broker {} started: cluster {}, {} shards, data in {}", config.nodeId(), controller.clusterId(),
            config.smp(), dataDir);
    }

    /** Names the cluster on its first start and (re-)announces this broker's advertised Kafka address. */
    private void registerSelf() throws Exception {
        // On a follower these are forwarded to the controller leader; the first InitializeCluster wins.
        if (controller.image().clusterId() == null) {
            controller.submit(new MetadataCommand.InitializeCluster(Uuid.randomUuid().toString())).get(30, TimeUnit.SECONDS);
        }
        Listener advertised = config.advertisedKafkaApi().isEmpty() ? config.kafkaApi().get(0) : config.advertisedKafkaApi().get(0);
        HostPort rpc = config.advertisedRpcApi();
        controller.submit(new MetadataCommand.RegisterBroker(config.nodeId(), advertised.address().host(),
            advertisedPort(advertised), null, raft.endpoint().toString())).get(30, TimeUnit.SECONDS);
        log.debug("registered broker {} at {} (rpc {})", config.nodeId(), advertised.address(), rpc);
    }

    /** An advertised port of 0 (tests bind ephemeral ports) means "the port the first listener got". */
    private int advertisedPort(Listener advertised) {
        int port = advertised.address().port();
        return port != 0 ? port : kafkaAddress().getPort();
    }

    /** The bound address of the first Kafka listener (tests bind port 0). */
    public InetSocketAddress kafkaAddress() {
        return (InetSocketAddress) listeners.get(0).localAddress();
    }

    /** The Raft RPC address (tests bind port 0 and reuse it on restart: the controller log names it). */
    public InetSocketAddress rpcAddress() {
        return new InetSocketAddress(raft.endpoint().getIp(), raft.endpoint().getPort());
    }

    /** The bound address of the first admin API listener (tests bind port 0). */
    public InetSocketAddress adminAddress() {
        return admin.addresses().get(0);
    }

    /** The broker's metrics registries and admin servers. */
    public BrokerAdmin admin() {
        return admin;
    }

    public MetadataController controller() {
        return controller;
    }

    public PartitionManager partitions() {
        return partitions;
    }

    public GroupCoordinator groups() {
        return groups;
    }

    /** The transaction coordinator on this broker. */
    public TransactionService transactions() {
        return transactions;
    }

    @Override
    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("broker {} stopping", config.nodeId());
        quietly("admin API", admin);
        for (Channel ch : listeners) {
            ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (acceptors != null) {
            acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        quietly("transaction coordinator", transactions);
        quietly("group coordinator", groups);
        quietly("replica mover", replicaMover);
        quietly("cluster agent", clusterAgent);
        quietly("controller", controller);
        quietly("raft host", raft);
        if (shardLoops != null) {
            shardLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        quietly("log cleaner", cleaner);
        quietly("partitions", partitions);
        quietly("storage", logs);
        log.info("broker {} stopped", config.nodeId());
        stopped.countDown();
    }

    private static void quietly(String what, AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            log.warn("closing the {} failed: {}", what, e.toString());
        }
    }
}
