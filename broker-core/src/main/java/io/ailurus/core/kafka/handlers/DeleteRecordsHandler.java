package io.ailurus.core.kafka.handlers;

import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.partition.Partition;
import io.ailurus.core.partition.PartitionException;
import io.ailurus.core.partition.PartitionManager;
import io.ailurus.core.shard.ShardSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** DeleteRecords: moves each partition's log start offset forward (-1 means up to the high watermark). */
public final class DeleteRecordsHandler implements KafkaApiHandler<DeleteRecordsRequestData, DeleteRecordsResponseData> {
    private final ClusterView cluster;
    private final PartitionManager partitions;

    public DeleteRecordsHandler(ClusterView cluster, PartitionManager partitions) {
        this.cluster = cluster;
        this.partitions = partitions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_RECORDS;
    }

    @Override
    public CompletableFuture<DeleteRecordsResponseData> handle(RequestContext ctx, DeleteRecordsRequestData request) {
        DeleteRecordsResponseData response = new DeleteRecordsResponseData();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (var topic : request.topics()) {
            DeleteRecordsTopicResult tr = new DeleteRecordsTopicResult().setName(topic.name());
            response.topics().add(tr);
            for (var p : topic.partitions()) {
                DeleteRecordsPartitionResult pr = new DeleteRecordsPartitionResult().setPartitionIndex(p.partitionIndex()).setLowWatermark(-1);
                tr.partitions().add(pr);
                Partition partition = partitions.get(new TopicPartition(topic.name(), p.partitionIndex()));
                if (partition == null || !partition.isLeader()) { // a follower replica serves no clients
                    boolean exists = cluster.image().topic(topic.name()).map(t -> p.partitionIndex() < t.partitionCount()).orElse(false);
                    pr.setErrorCode((exists ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.UNKNOWN_TOPIC_OR_PARTITION).code());
                    continue;
                }
                long target = p.offset();
                pending.add(ShardSet.on(partition.owner(), () -> {
                    long to = target == -1 ? partition.highWatermark() : target;
                    if (to < 0) {
                        throw new PartitionException(Errors.OFFSET_OUT_OF_RANGE, "offset " + to + " is negative");
                    }
                    return CompletableFuture.completedFuture(partition.deleteRecordsBefore(to));
                }).handle((low, err) -> {
                    ctx.connectionLoop().execute(() -> {
                        if (err != null) {
                            pr.setErrorCode(PartitionException.errorOf(err).code());
                        } else {
                            pr.setLowWatermark(low);
                        }
                    });
                    return null;
                }));
            }
        }
        CompletableFuture<DeleteRecordsResponseData> result = new CompletableFuture<>();
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
            .whenComplete((v, e) -> ctx.connectionLoop().execute(() -> result.complete(response)));
        return result;
    }
}
