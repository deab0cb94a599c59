package io.ailurus.core.admin;

import com.alipay.sofa.jraft.Node;
import io.ailurus.admin.metrics.BrokerGauges;
import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.metadata.TopicInfo;
import io.ailurus.core.partition.Partition;
import io.ailurus.core.partition.PartitionManager;
import io.ailurus.core.partition.ReplicatedPartition;
import io.ailurus.raft.RaftGroup;
import java.util.function.LongSupplier;

/**
 * The public cluster gauges read from the live broker at scrape time: counts from the controller's
 * current metadata image, leadership from the open partitions, connections from the listener's
 * counter. Every method is a walk over in-memory maps, no I/O.
 */
final class LiveBrokerGauges implements BrokerGauges {
    private final ClusterView cluster;
    private final PartitionManager partitions;
    private final LocalHealth health;
    private final LongSupplier connections;

    LiveBrokerGauges(ClusterView cluster, PartitionManager partitions, LocalHealth health, LongSupplier connections) {
        this.cluster = cluster;
        this.partitions = partitions;
        this.health = health;
        this.connections = connections;
    }

    @Override
    public long clusterBrokers() {
        return cluster.image().brokers().size();
    }

    @Override
    public long clusterTopics() {
        return cluster.image().topics().size();
    }

    @Override
    public long clusterPartitions() {
        long n = 0;
        for (TopicInfo t : cluster.image().topics().values()) {
            n += t.partitionCount();
        }
        return n;
    }

    @Override
    public long clusterUnavailablePartitions() {
        return health.leaderlessCount(cluster.image());
    }

    /**
     * Followers of the replicated partitions led here that the leader has not heard from within an
     * election timeout (jraft's alive peers): such a replica is not receiving the log, so it falls
     * behind. Counted by the leader only, so the brokers' values add up. A single-replica partition
     * has no follower to be behind.
     */
    @Override
    public long underReplicatedReplicas() {
        long n = 0;
        for (Partition p : partitions.all()) {
            if (p instanceof ReplicatedPartition rp && rp.isLeader()) {
                n += missingFollowers(rp);
            }
        }
        return n;
    }

    private static long missingFollowers(ReplicatedPartition rp) {
        RaftGroup g = rp.group();
        if (g == null) {
            return 0;
        }
        try {
            Node node = g.node();
            return Math.max(0, node.listPeers().size() - node.listAlivePeers().size());
        } catch (IllegalStateException notLeaderAnyMore) {
            // jraft answers only on the leader; leadership moved since isLeader(): the new leader counts.
            return 0;
        }
    }

    @Override
    public long raftLeaders() {
        long n = 0;
        for (Partition p : partitions.all()) {
            if (p.isLeader()) {
                n++;
            }
        }
        return n;
    }

    @Override
    public long kafkaConnections() {
        return connections.getAsLong();
    }
}
