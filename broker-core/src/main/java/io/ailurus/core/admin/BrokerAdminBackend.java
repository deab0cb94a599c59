package io.ailurus.core.admin;

import io.ailurus.admin.backend.AdminApiException;
import io.ailurus.admin.backend.AdminBackend;
import io.ailurus.admin.backend.BrokerView;
import io.ailurus.admin.backend.ClusterConfigPatch;
import io.ailurus.admin.backend.ConfigNodeStatus;
import io.ailurus.admin.backend.ConfigPropertySchema;
import io.ailurus.admin.backend.DecommissionStatus;
import io.ailurus.admin.backend.FeatureSet;
import io.ailurus.admin.backend.HealthFacts;
import io.ailurus.admin.backend.MembershipStatus;
import io.ailurus.admin.backend.PartitionId;
import io.ailurus.admin.backend.PartitionView;
import io.ailurus.core.cluster.DecommissionPlanner;
import io.ailurus.core.config.BrokerConfig;
import io.ailurus.core.kafka.LeaderElections;
import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.metadata.BrokerInfo;
import io.ailurus.core.metadata.CommandResult;
import io.ailurus.core.metadata.MetadataCommand;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.TopicInfo;
import io.ailurus.core.partition.Partition;
import io.ailurus.core.partition.PartitionManager;
import io.ailurus.core.shard.ShardSet;
import io.ailurus.core.topic.TopicConfigs;
import io.ailurus.storage.LogManager;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * The admin API over the broker's real state: brokers and topics from the controller's metadata
 * image, partitions from the {@link PartitionManager}, cluster properties through
 * {@link ClusterConfigAdmin}, node properties from the {@link BrokerConfig} the broker started with.
 *
 * <p>Decommissioning marks the broker in the controller's metadata; the controller leader moves
 * its replicas away. Leadership transfer asks the partition's leader to hand its Raft
 * leadership over (400 for single-replica partitions), and {@code raft_group_id} is -1.
 */
public final class BrokerAdminBackend implements AdminBackend {
    private final BrokerConfig config;
    private final ClusterView cluster;
    private final PartitionManager partitions;
    private final ShardSet shards;
    private final LogManager logs;
    private final BooleanSupplier ready;
    private final String version;
    private final ClusterConfigAdmin clusterConfig;
    private final LocalHealth health;

    /**
     * @param ready true once the broker serves the Kafka API
     * @param version the broker version shown in {@code /v1/brokers}
     */
    public BrokerAdminBackend(BrokerConfig config, ClusterView cluster, PartitionManager partitions, ShardSet shards,
                              TopicConfigs topicConfigs, LogManager logs, ClusterConfigVersion configVersion,
                              BooleanSupplier ready, String version) {
        this.config = config;
        this.cluster = cluster;
        this.partitions = partitions;
        this.shards = shards;
        this.logs = logs;
        this.ready = ready;
        this.version = version;
        this.clusterConfig = new ClusterConfigAdmin(config.nodeId(), cluster, topicConfigs, configVersion);
        this.health = new LocalHealth(config.nodeId(), partitions, logs);
    }

    // --- cluster ----------------------------------------------------------------------------

    @Override
    public int nodeId() {
        return config.nodeId();
    }

    @Override
    public boolean isReady() {
        return ready.getAsBoolean();
    }

    @Override
    public List<BrokerView> brokers() {
        return cluster.image().brokers().values().stream()
            .sorted(Comparator.comparingInt(BrokerInfo::nodeId))
            .map(this::view)
            .toList();
    }

    private BrokerView view(BrokerInfo b) {
        boolean self = b.nodeId() == config.nodeId();
        String rpc = b.rpcAddress() == null ? "" : b.rpcAddress();
        int colon = rpc.lastIndexOf(':');
        String rpcHost = colon > 0 ? rpc.substring(0, colon) : rpc;
        int rpcPort = colon > 0 ? parsePort(rpc.substring(colon + 1)) : 0;
        // Liveness is the controller's failure detector's. This node knows its own disk.
        MetadataImage image = cluster.image();
        return new BrokerView(b.nodeId(), self ? config.smp() : 0, b.rack(), rpcHost, rpcPort,
            membership(image, b.nodeId()), image.isBrokerAlive(b.nodeId()), self ? diskSpace() : List.of(), version);
    }

    /** Draining while a decommissioned broker still holds replicas, removed once it holds none. */
    private static MembershipStatus membership(MetadataImage image, int nodeId) {
        if (!image.isDecommissioned(nodeId)) {
            return MembershipStatus.ACTIVE;
        }
        return DecommissionPlanner.plan(image, nodeId, 0).replicasLeft() > 0 ? MembershipStatus.DRAINING
            : MembershipStatus.REMOVED;
    }

    private static int parsePort(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private List<BrokerView.DiskSpace> diskSpace() {
        try {
            var store = Files.getFileStore(logs.dataDir());
            return List.of(new BrokerView.DiskSpace(logs.dataDir().toString(), store.getUsableSpace(),
                store.getTotalSpace()));
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public HealthFacts healthFacts() {
        MetadataImage image = cluster.image();
        List<Integer> all = image.brokers().keySet().stream().sorted().toList();
        List<Integer> highDisk = health.diskNearlyFull() ? List.of(config.nodeId()) : List.of();
        return new HealthFacts(cluster.controllerId(), all, List.of(), highDisk, health.leaderless(image), List.of());
    }

    /**
     * Marks the broker decommissioned; the controller leader then moves its replicas away
     * ({@code ReassignmentDriver}). Refused up front, with the partitions named, when some replica
     * could not leave (a single-replica partition, or no live broker outside its replicas).
     */
    @Override
    public void decommission(int nodeId) {
        requireBroker(nodeId);
        MetadataImage image = cluster.image();
        if (image.isDecommissioned(nodeId)) {
            return; // already draining: nothing to change
        }
        if (image.placeableBrokers().stream().noneMatch(id -> id != nodeId)) {
            throw AdminApiException.badRequest("Cannot decommission broker " + nodeId
                + ": it is the last active broker, no other broker can take its replicas");
        }
        DecommissionPlanner.Plan plan = DecommissionPlanner.plan(image, nodeId, Integer.MAX_VALUE);
        if (!plan.failures().isEmpty()) {
            throw AdminApiException.badRequest("Cannot decommission broker " + nodeId + ": " + plan.failures().size()
                + " of its replicas cannot move: " + String.join("; ", plan.failures().subList(0, Math.min(5, plan.failures().size()))));
        }
        submit(new MetadataCommand.SetBrokerDecommissioned(nodeId, true));
    }

    /** Takes the broker back: it gets replicas again, and moves still taking replicas off it go back. */
    @Override
    public void recommission(int nodeId) {
        requireBroker(nodeId);
        if (!cluster.image().isDecommissioned(nodeId)) {
            throw AdminApiException.badRequest("Broker " + nodeId + " is not being decommissioned");
        }
        submit(new MetadataCommand.SetBrokerDecommissioned(nodeId, false));
    }

    @Override
    public DecommissionStatus decommissionStatus(int nodeId) {
        requireBroker(nodeId);
        MetadataImage image = cluster.image();
        if (!image.isDecommissioned(nodeId)) {
            throw AdminApiException.badRequest("Broker " + nodeId + " is not being decommissioned");
        }
        DecommissionPlanner.Plan plan = DecommissionPlanner.plan(image, nodeId, 0);
        return new DecommissionStatus(plan.replicasLeft() == 0, plan.replicasLeft(), plan.failures());
    }

    private void submit(MetadataCommand command) {
        CommandResult r;
        try {
            r = cluster.submit(command).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AdminApiException.unavailable("interrupted while the controller applied the change");
        } catch (ExecutionException | TimeoutException e) {
            throw AdminApiException.unavailable("the controller did not apply the change: " + e.getMessage());
        }
        if (!r.isOk()) {
            throw AdminApiException.badRequest(r.message());
        }
    }

    private void requireBroker(int nodeId) {
        if (!cluster.image().brokers().containsKey(nodeId)) {
            throw AdminApiException.notFound("Broker " + nodeId + " not found");
        }
    }

    // --- partitions -------------------------------------------------------------------------

    @Override
    public List<PartitionView> partitions() {
        MetadataImage image = cluster.image();
        List<PartitionView> out = new ArrayList<>();
        for (Partition p : partitions.all()) {
            TopicPartition tp = p.topicPartition();
            image.topic(tp.topic()).ifPresent(t -> out.add(view(t, tp.partition())));
        }
        out.sort(Comparator.comparing(PartitionView::topic).thenComparingInt(PartitionView::partitionId));
        return out;
    }

    @Override
    public Optional<PartitionView> partition(PartitionId id) {
        if (!PartitionId.KAFKA_NAMESPACE.equals(id.ns())) {
            return Optional.empty();
        }
        return cluster.image().topic(id.topic())
            .filter(t -> id.partition() < t.partitionCount())
            .map(t -> view(t, id.partition()));
    }

    private PartitionView view(TopicInfo t, int partition) {
        TopicPartition tp = new TopicPartition(t.name(), partition);
        Partition local = partitions.get(tp);
        int leader = local == null ? -1 : local.leaderId();
        List<PartitionView.ReplicaAssignment> replicas = t.replicas(partition).stream()
            .map(node -> new PartitionView.ReplicaAssignment(node, node == config.nodeId() ? shards.indexOf(tp) : 0))
            .toList();
        // Single-replica partitions are not Raft groups (DESIGN.md): there is no group id to show.
        // Redpanda's status: "in_progress" while the partition's replicas are moving.
        String status = cluster.image().reassignment(t.name(), partition) == null ? "done" : "in_progress";
        return new PartitionView(PartitionId.KAFKA_NAMESPACE, t.name(), partition, status, leader, -1, replicas);
    }

    /**
     * Asks the partition's leader (over the internal RPC) to transfer its Raft leadership and
     * waits until the target leads: an answer of 200 means the move is done.
     */
    @Override
    public void transferLeadership(PartitionId id, OptionalInt target) {
        PartitionView p = partition(id).orElseThrow(() -> AdminApiException.notFound("Partition " + id + " not found"));
        if (target.isPresent() && p.replicas().stream().noneMatch(r -> r.nodeId() == target.getAsInt())) {
            throw AdminApiException.badRequest("Broker " + target.getAsInt() + " is not a replica of " + id);
        }
        if (p.replicas().size() == 1) {
            throw AdminApiException.badRequest("Partition " + id + " has a single replica: there is no other replica "
                + "to transfer leadership to");
        }
        LeaderElections.Outcome outcome;
        try {
            outcome = partitions.leaderElections().transfer(new TopicPartition(id.topic(), id.partition()),
                target.orElse(-1)).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AdminApiException.unavailable("interrupted while the leadership moved");
        } catch (ExecutionException | TimeoutException e) {
            throw AdminApiException.unavailable("the leadership transfer of " + id + " did not finish: " + e.getMessage());
        }
        if (outcome.error() != Errors.NONE && outcome.error() != Errors.ELECTION_NOT_NEEDED) {
            throw AdminApiException.badRequest(outcome.message());
        }
    }

    // --- configuration ----------------------------------------------------------------------

    @Override
    public Map<String, Object> clusterConfig(boolean includeDefaults) {
        return clusterConfig.values(includeDefaults);
    }

    @Override
    public long applyClusterConfig(ClusterConfigPatch patch) {
        return clusterConfig.apply(patch);
    }

    @Override
    public Map<String, ConfigPropertySchema> clusterConfigSchema() {
        return clusterConfig.schema();
    }

    @Override
    public List<ConfigNodeStatus> clusterConfigStatus() {
        return clusterConfig.status();
    }

    @Override
    public Map<String, Object> nodeConfig() {
        return NodeConfigView.of(config);
    }

    // --- features ---------------------------------------------------------------------------

    @Override
    public FeatureSet features() {
        return BrokerFeatures.current();
    }
}
