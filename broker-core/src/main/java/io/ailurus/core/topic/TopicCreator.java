package io.ailurus.core.topic;

import io.ailurus.core.config.ClusterConfigKeys;
import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.metadata.CommandResult;
import io.ailurus.core.metadata.MetadataCommand;
import io.ailurus.core.metadata.MetadataImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

/**
 * Turns "create this topic" (CreateTopics, Metadata auto-creation, rpk) into a controller command:
 * checks the name, partition count, replication factor and configs, places the replicas, and
 * proposes it. Shared so every path validates the same way.
 */
public final class TopicCreator {
    private final ClusterView cluster;
    private final TopicConfigs configs;
    private final AtomicInteger placementStart = new AtomicInteger();

    public TopicCreator(ClusterView cluster, TopicConfigs configs) {
        this.cluster = cluster;
        this.configs = configs;
    }

    /** The outcome for one topic: an error (NONE when created) and the final partition count / RF. */
    public record Outcome(String name, Errors error, String message, String topicId, int partitions, int replicationFactor) {}

    public boolean autoCreateEnabled(MetadataImage image) {
        return configs.cluster(image).get(ClusterConfigKeys.AUTO_CREATE_TOPICS_ENABLED);
    }

    /** Creates topics with the default partition count and replication factor (auto-creation). */
    public CompletableFuture<List<Outcome>> createWithDefaults(List<String> names) {
        List<CompletableFuture<Outcome>> all = new ArrayList<>();
        for (String n : names) {
            all.add(create(n, -1, (short) -1, null, Map.of(), false));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
            .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
    }

    /**
     * @param partitions -1 for the cluster default
     * @param replicationFactor -1 for the cluster default
     * @param assignments explicit replicas per partition, or null to place them
     */
    public CompletableFuture<Outcome> create(String name, int partitions, short replicationFactor,
                                             List<List<Integer>> assignments, Map<String, String> topicConfigs,
                                             boolean validateOnly) {
        MetadataImage image = cluster.image();
        String invalid = TopicNames.invalidReason(name);
        if (invalid != null) {
            return done(name, Errors.INVALID_TOPIC_EXCEPTION, invalid);
        }
        if (image.topic(name).isPresent()) {
            return done(name, Errors.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
        }
        List<String> errors = configs.validate(topicConfigs);
        if (!errors.isEmpty()) {
            return done(name, Errors.INVALID_CONFIG, String.join("; ", errors));
        }
        List<Integer> brokers = image.brokers().keySet().stream().sorted().toList();
        List<List<Integer>> placed;
        if (assignments != null && !assignments.isEmpty()) {
            if (partitions > 0 || replicationFactor > 0) {
                return done(name, Errors.INVALID_REQUEST,
                    "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.");
            }
            String bad = checkAssignments(assignments, brokers);
            if (bad != null) {
                return done(name, Errors.INVALID_REPLICA_ASSIGNMENT, bad);
            }
            placed = assignments;
        } else {
            int count = partitions == -1 ? configs.cluster(image).get(ClusterConfigKeys.DEFAULT_TOPIC_PARTITIONS) : partitions;
            int rf = replicationFactor == -1 ? configs.cluster(image).get(ClusterConfigKeys.DEFAULT_TOPIC_REPLICATIONS) : replicationFactor;
            if (count <= 0) {
                return done(name, Errors.INVALID_PARTITIONS, "Number of partitions must be larger than 0.");
            }
            if (rf <= 0) {
                return done(name, Errors.INVALID_REPLICATION_FACTOR, "Replication factor must be larger than 0.");
            }
            if (rf > brokers.size()) {
                return done(name, Errors.INVALID_REPLICATION_FACTOR, "Replication factor: " + rf
                    + " larger than available brokers: " + brokers.size() + ".");
            }
            // Decommissioned brokers take no new replicas.
            List<Integer> placeable = image.placeableBrokers();
            if (rf > placeable.size()) {
                return done(name, Errors.INVALID_REPLICATION_FACTOR, "Replication factor: " + rf
                    + " larger than available brokers: " + placeable.size() + " (decommissioned brokers take no replicas).");
            }
            placed = ReplicaPlacement.place(placeable, 0, count, rf, placementStart.getAndIncrement());
        }
        String topicId = Uuid.randomUuid().toString();
        int rf = placed.get(0).size();
        if (validateOnly) {
            return CompletableFuture.completedFuture(new Outcome(name, Errors.NONE, null, topicId, placed.size(), rf));
        }
        return cluster.submit(new MetadataCommand.CreateTopic(name, topicId, placed, Map.copyOf(topicConfigs)))
            .thenApply(r -> outcome(name, r, topicId, placed.size(), rf));
    }

    static String checkAssignments(List<List<Integer>> assignments, List<Integer> brokers) {
        int rf = assignments.get(0).size();
        for (int p = 0; p < assignments.size(); p++) {
            List<Integer> replicas = assignments.get(p);
            if (replicas.isEmpty()) {
                return "Partition " + p + " has no replicas.";
            }
            if (replicas.size() != rf) {
                return "All partitions should have the same number of replicas.";
            }
            if (replicas.stream().distinct().count() != replicas.size()) {
                return "Duplicate brokers not allowed in replica assignment: " + replicas + " for partition id " + p + ".";
            }
            for (int id : replicas) {
                if (!brokers.contains(id)) {
                    return "Broker " + id + " in the assignment of partition " + p + " is not a registered broker.";
                }
            }
        }
        return null;
    }

    private static Outcome outcome(String name, CommandResult r, String topicId, int partitions, int rf) {
        Errors error = switch (r.error()) {
            case NONE -> Errors.NONE;
            case TOPIC_ALREADY_EXISTS -> Errors.TOPIC_ALREADY_EXISTS;
            case UNKNOWN_TOPIC_OR_PARTITION -> Errors.UNKNOWN_TOPIC_OR_PARTITION;
            case INVALID_PARTITIONS -> Errors.INVALID_PARTITIONS;
            case INVALID_REQUEST -> Errors.INVALID_REQUEST;
            case INVALID_REPLICA_ASSIGNMENT -> Errors.INVALID_REPLICA_ASSIGNMENT;
            case INVALID_REPLICATION_FACTOR -> Errors.INVALID_REPLICATION_FACTOR;
            case NO_REASSIGNMENT_IN_PROGRESS -> Errors.NO_REASSIGNMENT_IN_PROGRESS;
            // Transaction-store results; no topic command produces them.
            case STALE_VERSION, INVALID_PRODUCER_ID_MAPPING, PRODUCER_FENCED, INVALID_TXN_STATE -> Errors.UNKNOWN_SERVER_ERROR;
        };
        return new Outcome(name, error, r.message(), error == Errors.NONE ? topicId : null, partitions, rf);
    }

    private static CompletableFuture<Outcome> done(String name, Errors error, String message) {
        return CompletableFuture.completedFuture(new Outcome(name, error, message, null, -1, -1));
    }
}
