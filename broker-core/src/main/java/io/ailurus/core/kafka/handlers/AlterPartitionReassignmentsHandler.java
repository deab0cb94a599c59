package io.ailurus.core.kafka.handlers;

import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.metadata.CommandResult;
import io.ailurus.core.metadata.MetadataCommand;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.PartitionReassignment;
import io.ailurus.core.metadata.TopicInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignableTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * AlterPartitionReassignments: each partition's new replica list (preferred leader first), or null
 * to cancel its move. The controller records the move (the assignment becomes the union of old and
 * new replicas, so Metadata from any broker shows it) and the partition's leader changes its Raft
 * group's members; the answer comes once the move is recorded, not when it is done (as in Kafka:
 * ListPartitionReassignments shows it until then).
 */
public final class AlterPartitionReassignmentsHandler
    implements KafkaApiHandler<AlterPartitionReassignmentsRequestData, AlterPartitionReassignmentsResponseData> {
    private final ClusterView cluster;

    public AlterPartitionReassignmentsHandler(ClusterView cluster) {
        this.cluster = cluster;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_PARTITION_REASSIGNMENTS;
    }

    @Override
    public CompletableFuture<AlterPartitionReassignmentsResponseData> handle(RequestContext ctx,
                                                                             AlterPartitionReassignmentsRequestData request) {
        List<ReassignableTopicResponse> topics = new ArrayList<>();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (ReassignableTopic t : request.topics()) {
            ReassignableTopicResponse topic = new ReassignableTopicResponse().setName(t.name());
            topics.add(topic);
            for (ReassignablePartition p : t.partitions()) {
                ReassignablePartitionResponse result = new ReassignablePartitionResponse().setPartitionIndex(p.partitionIndex());
                topic.partitions().add(result);
                pending.add(reassign(t.name(), p, request.allowReplicationFactorChange(), result));
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(v ->
            new AlterPartitionReassignmentsResponseData()
                .setAllowReplicationFactorChange(request.allowReplicationFactorChange())
                .setResponses(topics));
    }

    private CompletableFuture<Void> reassign(String topic, ReassignablePartition p, boolean allowRfChange,
                                             ReassignablePartitionResponse result) {
        List<Integer> target = p.replicas() == null ? null : List.copyOf(p.replicas());
        if (target != null && !allowRfChange) {
            // KIP-860: a client that did not allow it must not get a replication factor change.
            MetadataImage image = cluster.image();
            TopicInfo t = image.topic(topic).orElse(null);
            if (t != null && p.partitionIndex() >= 0 && p.partitionIndex() < t.partitionCount()) {
                PartitionReassignment ongoing = image.reassignment(topic, p.partitionIndex());
                int rf = (ongoing == null ? t.replicas(p.partitionIndex()) : ongoing.original()).size();
                if (target.size() != rf) {
                    result.setErrorCode(Errors.INVALID_REPLICATION_FACTOR.code()).setErrorMessage("The replica list has "
                        + target.size() + " replicas but the replication factor is " + rf
                        + " and the request does not allow changing it.");
                    return CompletableFuture.completedFuture(null);
                }
            }
        }
        return cluster.submit(new MetadataCommand.ReassignPartition(topic, p.partitionIndex(), target))
            .handle((r, err) -> {
                if (err != null) {
                    result.setErrorCode(Errors.REQUEST_TIMED_OUT.code())
                        .setErrorMessage("The controller did not record the move: " + err.getMessage());
                } else if (!r.isOk()) {
                    result.setErrorCode(kafkaError(r.error()).code()).setErrorMessage(r.message());
                }
                return null;
            });
    }

    /** The controller's error names are Kafka's. */
    static Errors kafkaError(CommandResult.Error error) {
        try {
            return Errors.valueOf(error.name());
        } catch (IllegalArgumentException e) {
            return Errors.UNKNOWN_SERVER_ERROR;
        }
    }
}
