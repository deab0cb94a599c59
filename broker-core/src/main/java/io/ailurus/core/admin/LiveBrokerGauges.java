package io.ailurus.core.admin;

import io.ailurus.admin.metrics.BrokerGauges;
import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.metadata.TopicInfo;
import io.ailurus.core.partition.Partition;
import io.ailurus.core.partition.PartitionManager;
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

    /** Single-replica partitions cannot be behind a leader: always 0 until replicated partitions exist. */
    @Override
    public long underReplicatedReplicas() {
        return 0;
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
