package io.ailurus.core.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ailurus.core.group.GroupStore;
import io.ailurus.core.txn.TransactionMetadata;
import io.ailurus.core.txn.TxnStore;
import io.ailurus.raft.controller.ReplicatedStateMachineModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Consumer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The controller's state machine model for cluster metadata. {@link #apply} runs on the controller's
 * apply thread in log order; after each apply the new {@link MetadataImage} is published for readers.
 * Consumer-group commands go to the {@link GroupStore} sub-model instead (no new image, no
 * listener call). Snapshots are the JSON form of the image and of the group store.
 */
public final class MetadataState implements ReplicatedStateMachineModel<MetadataCommand, CommandResult> {
    /**
     * Jackson databind, created on first use: a broker that only starts and idles needs none of it (the start-up
     * commands have their own codec, {@link StartupCommandJson}), and its ~500 classes and introspection garbage
     * were part of the idle RSS. Snapshots and the other commands still go through it.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private volatile MetadataImage image = MetadataImage.EMPTY;
    private final GroupStore groups = new GroupStore();
    private final TxnStore txns = new TxnStore(groups);
    private volatile Consumer<MetadataImage> listener = img -> { };

    /**
     * Runs after every apply and snapshot load, on the apply thread, before the proposer hears back:
     * the broker uses it to open and close partitions so a created topic is servable when
     * CreateTopics answers.
     */
    public void onChange(Consumer<MetadataImage> listener) {
        this.listener = listener;
    }

    public MetadataImage image() {
        return image;
    }

    /** Consumer groups' committed offsets and metadata; safe to read from any thread. */
    public GroupStore groups() {
        return groups;
    }

    /** Transactional ids' replicated state (the transaction coordinator's); safe to read from any thread. */
    public TxnStore txns() {
        return txns;
    }

    @Override
    public CommandResult apply(long index, MetadataCommand command) {
        if (command instanceof MetadataCommand.GroupCommand g) {
            return applyToGroups(g);
        }
        if (command instanceof MetadataCommand.TxnCommand t) {
            return applyToTxns(t);
        }
        CommandResult result = applyToImage(index, command);
        listener.accept(image);
        return result;
    }

    private CommandResult applyToGroups(MetadataCommand.GroupCommand command) {
        return switch (command) {
            case MetadataCommand.CommitOffsets c -> groups.commitOffsets(c.groupId(), c.offsets(), c.timestamp());
            case MetadataCommand.DeleteOffsets d -> groups.deleteOffsets(d.groupId(), d.partitions());
            case MetadataCommand.PutGroup p -> groups.putGroup(p.group());
            case MetadataCommand.DeleteGroups d -> groups.deleteGroups(d.groupIds());
        };
    }

    private CommandResult applyToTxns(MetadataCommand.TxnCommand command) {
        return switch (command) {
            case MetadataCommand.PutTransaction p -> txns.put(p.txn(), p.expectedVersion());
            case MetadataCommand.DeleteTransaction d -> txns.delete(d.transactionalId(), d.expectedVersion());
            case MetadataCommand.CommitTxnOffsets c -> txns.commitOffsets(c.transactionalId(), c.producerId(),
                c.producerEpoch(), c.groupId(), c.offsets(), c.timestamp());
        };
    }

    private CommandResult applyToImage(long index, MetadataCommand command) {
        MetadataImage cur = image;
        String clusterId = cur.clusterId();
        Map<Integer, BrokerInfo> brokers = new HashMap<>(cur.brokers());
        Map<String, TopicInfo> topics = new HashMap<>(cur.topics());
        Map<String, String> cluster = new HashMap<>(cur.clusterConfig());
        long nextProducerId = cur.nextProducerId();
        java.util.Set<Integer> offline = new java.util.HashSet<>(cur.offlineBrokers());
        Map<String, Map<Integer, PartitionLeader>> leaders = new HashMap<>(cur.partitionLeaders());
        Map<String, Map<Integer, PartitionReassignment>> moves = new HashMap<>(cur.reassignments());
        java.util.Set<Integer> decommissioned = new java.util.HashSet<>(cur.decommissionedBrokers());
        CommandResult result = CommandResult.ok();

        switch (command) {
            case MetadataCommand.InitializeCluster i -> {
                if (clusterId == null) {
                    clusterId = i.clusterId();
                }
            }
            case MetadataCommand.RegisterBroker r -> {
                brokers.put(r.nodeId(), new BrokerInfo(r.nodeId(), r.host(), r.port(), r.rack(), r.rpcAddress()));
                offline.remove(r.nodeId()); // registering is a sign of life
            }
            case MetadataCommand.SetBrokerLiveness l -> {
                if (!brokers.containsKey(l.nodeId())) {
                    result = CommandResult.error(CommandResult.Error.INVALID_REQUEST, "broker " + l.nodeId() + " is not registered");
                } else if (l.alive()) {
                    offline.remove(l.nodeId());
                } else {
                    offline.add(l.nodeId());
                }
            }
            case MetadataCommand.ReportLeaders r -> {
                for (MetadataCommand.LeaderReport lr : r.leaders()) {
                    if (!topics.containsKey(lr.topic())) {
                        continue; // deleted meanwhile
                    }
                    Map<Integer, PartitionLeader> byPartition = new HashMap<>(leaders.getOrDefault(lr.topic(), Map.of()));
                    PartitionLeader known = byPartition.get(lr.partition());
                    // Terms only grow: a late report from a deposed leader must not undo a newer one.
                    if (known == null || known.epoch() <= lr.epoch()) {
                        byPartition.put(lr.partition(), new PartitionLeader(r.nodeId(), lr.epoch()));
                        leaders.put(lr.topic(), Map.copyOf(byPartition));
                    }
                }
            }
            case MetadataCommand.ReassignPartition r ->
                result = ReplicaMoves.reassign(r, topics, moves, brokers.keySet(), decommissioned);
            case MetadataCommand.CompleteReassignment c -> result = ReplicaMoves.complete(c, topics, moves);
            case MetadataCommand.SetBrokerDecommissioned d ->
                result = ReplicaMoves.setDecommissioned(d, topics, moves, brokers.keySet(), decommissioned);
            case MetadataCommand.CreateTopic c -> {
                if (topics.containsKey(c.name())) {
                    result = CommandResult.error(CommandResult.Error.TOPIC_ALREADY_EXISTS, "Topic '" + c.name() + "' already exists.");
                } else if (c.assignments().isEmpty()) {
                    result = CommandResult.error(CommandResult.Error.INVALID_PARTITIONS, "a topic needs at least one partition");
                } else {
                    topics.put(c.name(), new TopicInfo(c.name(), c.topicId(), c.assignments(), c.configs()));
                }
            }
            case MetadataCommand.DeleteTopic d -> {
                if (topics.remove(d.name()) == null) {
                    result = unknownTopic(d.name());
                } else {
                    leaders.remove(d.name());
                    moves.remove(d.name());
                    groups.removeTopic(d.name());
                }
            }
            case MetadataCommand.CreatePartitions p -> {
                TopicInfo t = topics.get(p.name());
                if (t == null) {
                    result = unknownTopic(p.name());
                } else {
                    List<List<Integer>> all = new ArrayList<>(t.assignments());
                    all.addAll(p.newAssignments());
                    topics.put(t.name(), new TopicInfo(t.name(), t.topicId(), all, t.configs()));
                }
            }
            case MetadataCommand.AlterTopicConfig a -> {
                TopicInfo t = topics.get(a.name());
                if (t == null) {
                    result = unknownTopic(a.name());
                } else {
                    Map<String, String> configs = new HashMap<>(t.configs());
                    configs.putAll(a.set());
                    a.remove().forEach(configs::remove);
                    topics.put(t.name(), new TopicInfo(t.name(), t.topicId(), t.assignments(), configs));
                }
            }
            case MetadataCommand.AlterClusterConfig a -> {
                cluster.putAll(a.set());
                a.remove().forEach(cluster::remove);
            }
            case MetadataCommand.GroupCommand g -> throw new IllegalStateException("applied to the group store: " + g);
            case MetadataCommand.TxnCommand t -> throw new IllegalStateException("applied to the transaction store: " + t);
            case MetadataCommand.AllocateProducerIds a -> {
                if (a.count() <= 0) {
                    result = CommandResult.error(CommandResult.Error.INVALID_REQUEST, "producer id block size must be positive");
                } else {
                    result = CommandResult.ok(nextProducerId);
                    nextProducerId += a.count();
                }
            }
        }
        image = new MetadataImage(index, clusterId, brokers, topics, cluster, nextProducerId, offline, leaders, moves,
            decommissioned);
        return result;
    }

    private static CommandResult unknownTopic(String name) {
        return CommandResult.error(CommandResult.Error.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + name + "' does not exist.");
    }

    public static byte[] encodeCommand(MetadataCommand command) {
        try {
            byte[] light = StartupCommandJson.encode(command);
            return light != null ? light : Json.MAPPER.writerFor(MetadataCommand.class).writeValueAsBytes(command);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + command, e);
        }
    }

    public static MetadataCommand decodeCommand(byte[] bytes) throws IOException {
        MetadataCommand light = StartupCommandJson.decode(bytes);
        return light != null ? light : Json.MAPPER.readValue(bytes, MetadataCommand.class);
    }

    private record SnapshotForm(MetadataImage image, GroupStore.Snapshot groups, List<TransactionMetadata> txns) {}

    /** {@code {"image": ..., "groups": ..., "txns": ...}}; a snapshot of the image alone (older builds) still loads. */
    public byte[] snapshot() {
        try {
            return Json.MAPPER.writeValueAsBytes(new SnapshotForm(image, groups.snapshot(), txns.snapshot()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the metadata image", e);
        }
    }

    public void restore(byte[] snapshot) throws IOException {
        JsonNode root = Json.MAPPER.readTree(snapshot);
        if (root.has("image")) {
            image = Json.MAPPER.treeToValue(root.get("image"), MetadataImage.class);
            groups.restore(root.hasNonNull("groups") ? Json.MAPPER.treeToValue(root.get("groups"), GroupStore.Snapshot.class) : null);
            txns.restore(root.hasNonNull("txns") ? List.of(Json.MAPPER.treeToValue(root.get("txns"), TransactionMetadata[].class)) : null);
        } else {
            image = Json.MAPPER.treeToValue(root, MetadataImage.class);
            groups.restore(null);
            txns.restore(null);
        }
        listener.accept(image);
    }

    @Override
    public String commandType(MetadataCommand command) {
        return command.getClass().getSimpleName();
    }

    @Override
    public byte[] encode(MetadataCommand command) {
        return encodeCommand(command);
    }

    @Override
    public MetadataCommand decode(String type, byte[] value) throws IOException {
        return decodeCommand(value);
    }

    @Override
    public void writeSnapshot(OutputStream out) throws IOException {
        out.write(snapshot());
    }

    @Override
    public void readSnapshot(InputStream in) throws IOException {
        restore(in.readAllBytes());
    }
}
