package io.ailurus.core.partition;

import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.TopicInfo;
import io.ailurus.core.shard.ShardSet;
import io.ailurus.core.topic.TopicConfigs;
import io.ailurus.storage.LogManager;
import io.ailurus.storage.PartitionLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this broker's partition replicas in step with the controller's metadata: opens the
 * partitions assigned here, closes and deletes those of deleted topics and those moved away from
 * this broker (reassignments, decommissioning), and pushes config changes
 * to the partitions (they reach the storage engine without a restart).
 *
 * <p>{@link #apply} is called on the controller's apply thread after every metadata change, before
 * the change is acknowledged to its proposer, so a topic is servable once CreateTopics answers.
 */
public final class PartitionManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PartitionManager.class);

    private final int nodeId;
    private final LogManager logs;
    private final ShardSet shards;
    private final TopicConfigs configs;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    /** Which topic id each hosted topic had, to tell a deleted-and-recreated topic from the old one. */
    private final Map<String, String> topicIds = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> appliedConfigs = new ConcurrentHashMap<>();
    private Map<String, String> appliedClusterConfig = Map.of();
    /** Opens replicated partitions (jraft groups); null on a broker without a Raft host (tests). */
    private volatile ReplicatedPartitionFactory replication;
    private volatile TransactionVerifier transactionVerifier = TransactionVerifier.ACCEPT_ALL;

    public PartitionManager(int nodeId, LogManager logs, ShardSet shards, TopicConfigs configs) {
        this.nodeId = nodeId;
        this.logs = logs;
        this.shards = shards;
        this.configs = configs;
    }

    /** Leader elections on request (ElectLeaders); set once the broker's cluster services run. */
    private volatile io.ailurus.core.kafka.LeaderElections elections = io.ailurus.core.kafka.LeaderElections.UNAVAILABLE;

    /** Sets who carries out ElectLeaders requests (the broker's {@code PreferredLeaderElector}). */
    public void setLeaderElections(io.ailurus.core.kafka.LeaderElections elections) {
        this.elections = elections;
    }

    /** Who carries out ElectLeaders requests on this broker. */
    public io.ailurus.core.kafka.LeaderElections leaderElections() {
        return elections;
    }

    /** Lets this manager open partitions with two or more replicas as jraft groups. */
    public void enableReplication(ReplicatedPartitionFactory factory) {
        this.replication = factory;
    }

    /** The KIP-890 check Produce runs before a producer's first transactional batch on a partition. */
    public void setTransactionVerifier(TransactionVerifier verifier) {
        this.transactionVerifier = java.util.Objects.requireNonNull(verifier);
    }

    public TransactionVerifier transactionVerifier() {
        return transactionVerifier;
    }

    public Partition get(TopicPartition tp) {
        return partitions.get(tp);
    }

    public Collection<Partition> all() {
        return partitions.values();
    }

    /** The data directory the partitions' logs live in (DescribeLogDirs reports it). */
    public Path dataDirectory() {
        return logs.dataDir();
    }

    public synchronized void apply(MetadataImage image) {
        Set<String> live = new HashSet<>();
        boolean clusterChanged = !image.clusterConfig().equals(appliedClusterConfig);
        for (TopicInfo topic : image.topics().values()) {
            live.add(topic.name());
            String knownId = topicIds.get(topic.name());
            if (knownId != null && !knownId.equals(topic.topicId())) {
                removeTopic(topic.name()); // deleted and recreated under the same name
            }
            topicIds.put(topic.name(), topic.topicId());
            boolean configChanged = clusterChanged || !topic.configs().equals(appliedConfigs.get(topic.name()));
            PartitionSettings settings = null;
            for (int p = 0; p < topic.partitionCount(); p++) {
                TopicPartition tp = new TopicPartition(topic.name(), p);
                if (!topic.replicas(p).contains(nodeId)) {
                    if (partitions.containsKey(tp)) {
                        removeReplica(tp, topic.topicId()); // moved away (a completed reassignment)
                    }
                    continue;
                }
                Partition existing = partitions.get(tp);
                if (settings == null) {
                    settings = configs.settings(topic.configs(), image);
                }
                if (existing == null) {
                    open(tp, topic, settings, image);
                } else if (configChanged) {
                    PartitionSettings s = settings;
                    existing.owner().execute(() -> existing.updateSettings(s));
                }
            }
            appliedConfigs.put(topic.name(), topic.configs());
        }
        for (String name : List.copyOf(topicIds.keySet())) {
            if (!live.contains(name)) {
                removeTopic(name);
            }
        }
        appliedClusterConfig = image.clusterConfig();
    }

    private void open(TopicPartition tp, TopicInfo topic, PartitionSettings settings, MetadataImage image) {
        if (topic.replicas(tp.partition()).size() > 1) {
            ReplicatedPartitionFactory factory = replication;
            if (factory == null) {
                log.error("{} has replication factor {} but this broker runs no Raft host", tp, topic.replicas(tp.partition()).size());
                return;
            }
            PartitionLog plog = logs.openLog(logName(tp, topic.topicId()), settings.logConfig());
            ReplicatedPartition p = factory.open(tp, topic, plog, settings, shards.ownerOf(tp), image);
            if (p == null) {
                plog.close();
                return;
            }
            // Each replica compacts its own log, only below its committed and decided point.
            plog.setCleanableEndOffset(p::lastStableOffset);
            partitions.put(tp, p);
            log.debug("opened replicated {} (log {})", tp, plog.name());
            return;
        }
        PartitionLog plog = logs.openLog(logName(tp, topic.topicId()), settings.logConfig());
        LocalPartition local = new LocalPartition(tp, nodeId, shards.ownerOf(tp), plog, settings);
        plog.setCleanableEndOffset(local::lastStableOffset);
        partitions.put(tp, local);
        log.debug("opened {} (log {})", tp, plog.name());
    }

    private void removeTopic(String name) {
        String topicId = topicIds.remove(name);
        appliedConfigs.remove(name);
        List<TopicPartition> gone = new ArrayList<>();
        for (TopicPartition tp : partitions.keySet()) {
            if (tp.topic().equals(name)) {
                gone.add(tp);
            }
        }
        for (TopicPartition tp : gone) {
            Partition p = partitions.remove(tp);
            p.delete();
            logs.deleteLog(logName(tp, topicId));
            if (p instanceof ReplicatedPartition && replication != null) {
                replication.deleteMeta(tp, topicId);
            }
        }
        if (!gone.isEmpty()) {
            log.info("deleted topic {} ({} partitions on this broker)", name, gone.size());
        }
    }

    /**
     * This broker is no longer a replica: the controller records a move as done only once the
     * partition's Raft group no longer counts this replica, so its copy can go. Stops the group
     * and deletes the log and the group's term/vote file (a later move back starts afresh).
     */
    private void removeReplica(TopicPartition tp, String topicId) {
        Partition p = partitions.remove(tp);
        p.delete();
        logs.deleteLog(logName(tp, topicId));
        if (p instanceof ReplicatedPartition && replication != null) {
            replication.deleteMeta(tp, topicId);
        }
        log.info("{}: replica removed from this broker (moved to other brokers); its data is deleted", tp);
    }

    /** Redpanda-like layout: kafka/&lt;topic&gt;/&lt;partition&gt;_&lt;topic id&gt;, so a recreated topic never sees old data. */
    static String logName(TopicPartition tp, String topicId) {
        return "kafka/" + tp.topic() + "/" + tp.partition() + "_" + topicId;
    }

    @Override
    public synchronized void close() {
        for (Partition p : partitions.values()) {
            try {
                p.close();
            } catch (RuntimeException e) {
                log.warn("closing {} failed: {}", p.topicPartition(), e.toString());
            }
        }
        partitions.clear();
    }
}
