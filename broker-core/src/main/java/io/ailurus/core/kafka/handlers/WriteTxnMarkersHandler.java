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
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * WriteTxnMarkers: the transaction coordinator ends a producer's transaction on the partitions led
 * here. Each partition appends a COMMIT or ABORT control batch ({@link Partition#writeTxnMarker}) on
 * its owner shard; a partition answers once its marker is committed, so the coordinator may complete
 * the transaction when every partition said NONE.
 */
public final class WriteTxnMarkersHandler implements KafkaApiHandler<WriteTxnMarkersRequestData, WriteTxnMarkersResponseData> {
    private final ClusterView cluster;
    private final PartitionManager partitions;

    public WriteTxnMarkersHandler(ClusterView cluster, PartitionManager partitions) {
        this.cluster = cluster;
        this.partitions = partitions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.WRITE_TXN_MARKERS;
    }

    @Override
    public CompletableFuture<WriteTxnMarkersResponseData> handle(RequestContext ctx, WriteTxnMarkersRequestData request) {
        WriteTxnMarkersResponseData response = new WriteTxnMarkersResponseData();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (var marker : request.markers()) {
            WritableTxnMarkerResult mr = new WritableTxnMarkerResult().setProducerId(marker.producerId());
            response.markers().add(mr);
            for (var topic : marker.topics()) {
                WritableTxnMarkerTopicResult tr = new WritableTxnMarkerTopicResult().setName(topic.name());
                mr.topics().add(tr);
                for (int index : topic.partitionIndexes()) {
                    WritableTxnMarkerPartitionResult pr = new WritableTxnMarkerPartitionResult().setPartitionIndex(index);
                    tr.partitions().add(pr);
                    Partition partition = partitions.get(new TopicPartition(topic.name(), index));
                    if (partition == null || !partition.isLeader()) {
                        boolean exists = cluster.image().topic(topic.name()).map(t -> index < t.partitionCount()).orElse(false);
                        pr.setErrorCode((exists ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.UNKNOWN_TOPIC_OR_PARTITION).code());
                        continue;
                    }
                    pending.add(ShardSet.on(partition.owner(), () -> partition.writeTxnMarker(marker.producerId(),
                            marker.producerEpoch(), marker.transactionResult(), marker.coordinatorEpoch()))
                        .handle((v, err) -> {
                            // Results are set on the connection loop only: the response is assembled there.
                            Errors e = err == null ? Errors.NONE : PartitionException.errorOf(err);
                            ctx.connectionLoop().execute(() -> pr.setErrorCode(e.code()));
                            return null;
                        }));
                }
            }
        }
        CompletableFuture<WriteTxnMarkersResponseData> result = new CompletableFuture<>();
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
            .whenComplete((v, e) -> ctx.connectionLoop().execute(() -> result.complete(response)));
        return result;
    }
}
