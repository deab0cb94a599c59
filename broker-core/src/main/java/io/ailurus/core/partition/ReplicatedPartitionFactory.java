package io.ailurus.core.partition;

import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;
import io.ailurus.core.metadata.BrokerInfo;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.TopicInfo;
import io.ailurus.raft.RaftGroup;
import io.ailurus.raft.RaftNodeHost;
import io.ailurus.raft.partition.PartitionStateMachine;
import io.ailurus.storage.PartitionLog;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the jraft group of a replicated partition on this broker: the group's members are the
 * partition's replicas at their registered RPC addresses, its log is the partition's log, and its
 * term/vote file lives under {@code <data>/raft/partitions/<topic>/<partition>_<topic id>}.
 */
public final class ReplicatedPartitionFactory {
    private static final Logger log = LoggerFactory.getLogger(ReplicatedPartitionFactory.class);

    private final int nodeId;
    private final RaftNodeHost raft;
    private final Path metaRoot;
    private final Supplier<MetadataImage> image;

    /**
     * @param metaRoot where the groups' meta directories go
     * @param image    the current metadata (to name a group's leader by broker id)
     */
    public ReplicatedPartitionFactory(int nodeId, RaftNodeHost raft, Path metaRoot, Supplier<MetadataImage> image) {
        this.nodeId = nodeId;
        this.raft = raft;
        this.metaRoot = metaRoot;
        this.image = image;
    }

    /** The jraft group id of a partition: unique per topic incarnation. */
    public static String groupId(TopicPartition tp, String topicId) {
        return tp.topic() + "-" + tp.partition() + "_" + topicId;
    }

    /**
     * The founding configuration: every replica's RPC address. Null when a replica is not
     * registered yet (the partition is opened on a later metadata change).
     */
    static Configuration initialConfiguration(List<Integer> replicas, MetadataImage image) {
        List<PeerId> peers = new ArrayList<>();
        for (int id : replicas) {
            BrokerInfo b = image.brokers().get(id);
            if (b == null || b.rpcAddress() == null) {
                return null;
            }
            PeerId peer = PeerId.parsePeer(b.rpcAddress());
            if (peer == null) {
                return null;
            }
            peers.add(peer);
        }
        return new Configuration(peers);
    }

    /** Opens the replica, or returns null (and logs why) when its group cannot start yet. */
    ReplicatedPartition open(TopicPartition tp, TopicInfo topic, PartitionLog plog, PartitionSettings settings,
                             EventExecutor owner, MetadataImage current) {
        Configuration conf = founding(tp, topic, current);
        if (conf == null) {
            log.warn("{}: not every replica of {} is registered yet; opening it later", tp, topic.replicas(tp.partition()));
            return null;
        }
        String groupId = groupId(tp, topic.topicId());
        PartitionStateMachine sm = new PartitionStateMachine(groupId, raft.config().maxInflightProposals());
        ReplicatedPartition partition = new ReplicatedPartition(tp, nodeId, owner, plog, settings, sm, this::nodeIdOf);
        try {
            RaftGroup group = raft.startGroup(groupId, raft.peerId(), conf, sm, plog, metaDir(tp, topic.topicId()));
            partition.attach(group);
        } catch (IOException | RuntimeException e) {
            log.error("{}: cannot start its Raft group: {}", tp, e.toString());
            return null;
        }
        return partition;
    }

    /**
     * The configuration the replica starts with (jraft uses it only when the log holds none). While
     * a move is in progress the group's founders are the original replicas; a replica being added
     * starts with no members at all, so that it waits for the leader to add it (and to send it the
     * log) instead of electing itself with replicas that never had a group.
     */
    private Configuration founding(TopicPartition tp, TopicInfo topic, MetadataImage current) {
        io.ailurus.core.metadata.PartitionReassignment move = current.reassignment(tp.topic(), tp.partition());
        List<Integer> founders = move == null ? topic.replicas(tp.partition()) : move.original();
        if (!founders.contains(nodeId)) {
            log.info("{}: joining its Raft group as a new replica (the leader adds it and sends it the log)", tp);
            return new Configuration();
        }
        return initialConfiguration(founders, current);
    }

    /** Removes a deleted partition's term/vote file. */
    void deleteMeta(TopicPartition tp, String topicId) {
        Path dir = metaDir(tp, topicId);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("{}: could not remove {}: {}", tp, dir, e.toString());
        }
    }

    private Path metaDir(TopicPartition tp, String topicId) {
        return metaRoot.resolve(tp.topic()).resolve(tp.partition() + "_" + topicId);
    }

    /** A group member's broker id, from the registered RPC addresses; -1 when unknown. */
    int nodeIdOf(PeerId peer) {
        String address = peer.getEndpoint().toString();
        for (BrokerInfo b : image.get().brokers().values()) {
            if (address.equals(b.rpcAddress())) {
                return b.nodeId();
            }
        }
        return -1;
    }

    /** This broker's id. */
    int nodeId() {
        return nodeId;
    }
}
