package io.ailurus.core.admin;

import io.ailurus.admin.AdminServer;
import io.ailurus.admin.AdminServerOptions;
import io.ailurus.admin.logging.LogbackLoggerControl;
import io.ailurus.admin.metrics.AdminMetrics;
import io.ailurus.core.config.BrokerConfig;
import io.ailurus.core.config.Listener;
import io.ailurus.core.group.GroupStore;
import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.kafka.RequestObserver;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.partition.PartitionManager;
import io.ailurus.core.shard.ShardSet;
import io.ailurus.core.topic.TopicConfigs;
import io.ailurus.protocol.ProtocolMetrics;
import io.ailurus.raft.RaftObserver;
import io.ailurus.storage.LogManager;
import io.netty.channel.Channel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's operator surface in one place: the metrics registries and what records into them,
 * and the admin HTTP servers (one per {@code admin} listener). {@link io.ailurus.core.Broker}
 * creates it right after storage and partitions, hands its hooks to the Kafka listener and the
 * controller, and {@link #start}s the HTTP servers once the Kafka listener is bound.
 */
public final class BrokerAdmin implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerAdmin.class);
    /** How often consumer group lag is recomputed: lag moves slowly next to a 15-30 s scrape interval. */
    static final int GROUP_LAG_PERIOD_SECONDS = 10;

    private final BrokerConfig config;
    private final LogManager logs;
    private final PartitionManager partitions;
    private final String version;
    private final AdminMetrics metrics;
    private final StorageMetrics storage;
    private final KafkaApiMetrics apiMetrics;
    private final LeadershipWatcher leadership;
    private final RaftMetrics raftMetrics;
    private volatile KafkaTrafficMetrics traffic;
    private GroupLagUpdater groupLag;
    private final ClusterConfigVersion configVersion = new ClusterConfigVersion();
    private final AtomicLong connections = new AtomicLong();
    private final List<AdminServer> servers = new ArrayList<>();
    private volatile boolean ready;

    private BrokerAdmin(BrokerConfig config, LogManager logs, PartitionManager partitions, String version,
                        AdminMetrics metrics) {
        this.config = config;
        this.logs = logs;
        this.partitions = partitions;
        this.version = version;
        this.metrics = metrics;
        this.storage = StorageMetrics.bind(logs, metrics.internalRegistry());
        this.apiMetrics = new KafkaApiMetrics(metrics.internalRegistry(), metrics.publicMetrics());
        this.leadership = new LeadershipWatcher(partitions, metrics.publicMetrics().raftLeadershipChanges());
        this.raftMetrics = new RaftMetrics(metrics.internalRegistry());
    }

    /**
     * Creates the registries (one per broker) and binds the storage meters.
     *
     * @param version the broker version ({@code ailurus_application_build}, {@code /v1/brokers})
     */
    public static BrokerAdmin create(BrokerConfig config, LogManager logs, PartitionManager partitions, String version)
            throws IOException {
        AdminMetrics metrics = AdminMetrics.create(version, "unknown");
        try {
            metrics.publicMetrics().bindDataDirectory(config.dataDirectory());
            return new BrokerAdmin(config, logs, partitions, version, metrics);
        } catch (IOException | RuntimeException e) {
            metrics.close();
            throw e;
        }
    }

    /** For {@code ProtocolConfig.withMetrics}: per-API requests, bytes and latency. */
    public ProtocolMetrics protocolMetrics() {
        return apiMetrics;
    }

    /** For {@code KafkaApis.create}: bytes and records produced and fetched, errors. */
    public RequestObserver requestObserver(Supplier<MetadataImage> image) {
        KafkaTrafficMetrics t = new KafkaTrafficMetrics(metrics.internalRegistry(), metrics.publicMetrics(), image);
        traffic = t;
        return t;
    }

    /** For {@code RaftNodeHost.setObserver}: Raft commit latency, elections won, leaderships lost. */
    public RaftObserver raftObserver() {
        return raftMetrics;
    }

    /**
     * Starts publishing consumer group lag from {@code groups}' committed offsets and the high
     * watermarks of the partitions led here, every {@value #GROUP_LAG_PERIOD_SECONDS} s.
     */
    public synchronized void watchGroupLag(GroupStore groups) {
        if (groupLag == null) {
            groupLag = new GroupLagUpdater(groups, partitions, metrics.publicMetrics());
            groupLag.start(Duration.ofSeconds(GROUP_LAG_PERIOD_SECONDS));
        }
    }

    /**
     * Recomputes the consumer group lag gauges now rather than at the next timer tick (tests, and
     * anyone who must see a commit's effect at once); does nothing before {@link #watchGroupLag}.
     */
    public synchronized void refreshGroupLag() {
        if (groupLag != null) {
            groupLag.refresh();
        }
    }

    /** Call for each accepted Kafka connection; it is uncounted again when it closes. */
    public void countConnection(Channel channel) {
        connections.incrementAndGet();
        channel.closeFuture().addListener(f -> connections.decrementAndGet());
    }

    /** To run after the partitions have followed each new metadata image (controller apply thread). */
    public void onMetadata(MetadataImage image) {
        configVersion.observe(image);
        leadership.refresh();
        KafkaTrafficMetrics t = traffic;
        if (t != null) {
            t.retainTopics(image.topics().keySet());
        }
    }

    /** Binds the cluster gauges and starts an admin HTTP server on each {@code admin} listener. */
    public void start(ClusterView cluster, ShardSet shards, TopicConfigs topicConfigs)
            throws IOException, InterruptedException {
        LocalHealth health = new LocalHealth(config.nodeId(), partitions, logs);
        metrics.publicMetrics().bindBrokerGauges(new LiveBrokerGauges(cluster, partitions, health, connections::get));
        BrokerAdminBackend backend = new BrokerAdminBackend(config, cluster, partitions, shards, topicConfigs, logs,
            configVersion, () -> ready, version);
        for (Listener l : config.admin()) {
            servers.add(AdminServer.start(AdminServerOptions.of(l.address().host(), l.address().port()), backend,
                metrics, LogbackLoggerControl.forCurrentBinding()));
        }
    }

    /** From now on {@code /v1/status/ready} answers 200. */
    public void markReady() {
        ready = true;
    }

    /** Bound addresses of the admin servers, in listener order (tests bind port 0). */
    public List<InetSocketAddress> addresses() {
        return servers.stream().map(AdminServer::address).toList();
    }

    public AdminMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        ready = false;
        synchronized (this) {
            if (groupLag != null) {
                groupLag.close();
                groupLag = null;
            }
        }
        for (AdminServer s : servers) {
            try {
                s.close();
            } catch (RuntimeException e) {
                log.warn("closing the admin server failed: {}", e.toString());
            }
        }
        servers.clear();
        storage.close();
        metrics.close();
    }
}
