package io.ailurus.core.kafka.handlers;

import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.metadata.MetadataCommand;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.TopicInfo;
import io.ailurus.core.topic.ReplicaPlacement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** CreatePartitions: grows a topic to {@code count} partitions (never shrinks), with the same replication factor. */
public final class CreatePartitionsHandler
    implements KafkaApiHandler<CreatePartitionsRequestData, CreatePartitionsResponseData> {
    private final ClusterView cluster;

    public CreatePartitionsHandler(ClusterView cluster) {
        this.cluster = cluster;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_PARTITIONS;
    }

    @Override
    public CompletableFuture<CreatePartitionsResponseData> handle(RequestContext ctx, CreatePartitionsRequestData request) {
        List<CompletableFuture<CreatePartitionsTopicResult>> results = new ArrayList<>();
        for (CreatePartitionsTopic t : request.topics()) {
            results.add(grow(t, request.validateOnly()));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(v -> {
            CreatePartitionsResponseData response = new CreatePartitionsResponseData();
            results.forEach(f -> response.results().add(f.join()));
            return response;
        });
    }

    private CompletableFuture<CreatePartitionsTopicResult> grow(CreatePartitionsTopic t, boolean validateOnly) {
        MetadataImage image = cluster.image();
        CreatePartitionsTopicResult result = new CreatePartitionsTopicResult().setName(t.name());
        TopicInfo topic = image.topic(t.name()).orElse(null);
        if (topic == null) {
            return fail(result, Errors.UNKNOWN_TOPIC_OR_PARTITION, "The topic '" + t.name() + "' does not exist.");
        }
        int current = topic.partitionCount();
        if (t.count() < current) {
            return fail(result, Errors.INVALID_PARTITIONS, "Topic currently has " + current
                + " partitions, which is higher than the requested " + t.count() + ".");
        }
        if (t.count() == current) {
            return fail(result, Errors.INVALID_PARTITIONS, "Topic already has " + current + " partitions.");
        }
        int added = t.count() - current;
        List<Integer> brokers = image.brokers().keySet().stream().sorted().toList();
        List<List<Integer>> assignments;
        if (t.assignments() != null) {
            if (t.assignments().size() != added) {
                return fail(result, Errors.INVALID_REPLICA_ASSIGNMENT, "Increasing the number of partitions by "
                    + added + " but " + t.assignments().size() + " assignments provided.");
            }
            assignments = t.assignments().stream().map(a -> List.copyOf(a.brokerIds())).toList();
            for (List<Integer> replicas : assignments) {
                if (replicas.size() != topic.replicationFactor() || !brokers.containsAll(replicas)
                    || replicas.stream().distinct().count() != replicas.size()) {
                    return fail(result, Errors.INVALID_REPLICA_ASSIGNMENT, "Invalid assignment " + replicas
                        + ": it needs " + topic.replicationFactor() + " distinct registered brokers.");
                }
            }
        } else {
            if (topic.replicationFactor() > brokers.size()) {
                return fail(result, Errors.INVALID_REPLICATION_FACTOR, "Replication factor "
                    + topic.replicationFactor() + " is larger than the " + brokers.size() + " available brokers.");
            }
            List<Integer> placeable = image.placeableBrokers(); // decommissioned brokers take no new replicas
            if (topic.replicationFactor() > placeable.size()) {
                return fail(result, Errors.INVALID_REPLICATION_FACTOR, "Replication factor "
                    + topic.replicationFactor() + " is larger than the " + placeable.size() + " active brokers.");
            }
            assignments = ReplicaPlacement.place(placeable, current, added, topic.replicationFactor(), 0);
        }
        if (validateOnly) {
            return CompletableFuture.completedFuture(result);
        }
        return cluster.submit(new MetadataCommand.CreatePartitions(t.name(), assignments))
            .thenApply(r -> r.isOk() ? result
                : result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()).setErrorMessage(r.message()));
    }

    private static CompletableFuture<CreatePartitionsTopicResult> fail(CreatePartitionsTopicResult r, Errors e, String msg) {
        return CompletableFuture.completedFuture(r.setErrorCode(e.code()).setErrorMessage(msg));
    }
}
