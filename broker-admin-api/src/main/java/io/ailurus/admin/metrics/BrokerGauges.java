package io.ailurus.admin.metrics;

/**
 * Point-in-time values the broker exposes as public gauges. Prometheus samples them at scrape
 * time, so each method must be cheap and must not block (it runs on the admin handler thread).
 */
public interface BrokerGauges {

    /** Brokers registered in the cluster ({@code ailurus_cluster_brokers}). */
    long clusterBrokers();

    /** Topics in the cluster ({@code ailurus_cluster_topics}). */
    long clusterTopics();

    /** Partitions in the cluster, all topics ({@code ailurus_cluster_partitions}). */
    long clusterPartitions();

    /** Partitions without a leader ({@code ailurus_cluster_unavailable_partitions}). */
    long clusterUnavailablePartitions();

    /** Replicas on this node that are behind their leader ({@code ailurus_kafka_under_replicated_replicas}). */
    long underReplicatedReplicas();

    /** Partitions this node leads ({@code ailurus_raft_leaders}). */
    long raftLeaders();

    /** Open Kafka client connections on this node ({@code ailurus_rpc_active_connections{server="kafka"}}). */
    long kafkaConnections();
}
