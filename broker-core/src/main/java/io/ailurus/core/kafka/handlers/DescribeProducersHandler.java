package io.ailurus.core.kafka.handlers;

import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.partition.ActiveProducer;
import io.ailurus.core.partition.Partition;
import io.ailurus.core.partition.PartitionException;
import io.ailurus.core.partition.PartitionManager;
import io.ailurus.core.shard.ShardSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.DescribeProducersResponseData.PartitionResponse;
import org.apache.kafka.common.message.DescribeProducersResponseData.ProducerState;
import org.apache.kafka.common.message.DescribeProducersResponseData.TopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeProducers (KIP-664, {@code kafka-transactions describe-producers}): the producers each
 * partition led here tracks, with their open transaction's first offset, read on the owner shard.
 */
public final class DescribeProducersHandler
    implements KafkaApiHandler<DescribeProducersRequestData, DescribeProducersResponseData> {
    private final ClusterView cluster;
    private final PartitionManager partitions;

    public DescribeProducersHandler(ClusterView cluster, PartitionManager partitions) {
        this.cluster = cluster;
        this.partitions = partitions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_PRODUCERS;
    }

    @Override
    public CompletableFuture<DescribeProducersResponseData> handle(RequestContext ctx, DescribeProducersRequestData request) {
        DescribeProducersResponseData response = new DescribeProducersResponseData();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (var topic : request.topics()) {
            TopicResponse tr = new TopicResponse().setName(topic.name());
            response.topics().add(tr);
            for (int index : topic.partitionIndexes()) {
                PartitionResponse pr = new PartitionResponse().setPartitionIndex(index);
                tr.partitions().add(pr);
                Partition partition = partitions.get(new TopicPartition(topic.name(), index));
                if (partition == null || !partition.isLeader()) {
                    boolean exists = cluster.image().topic(topic.name()).map(t -> index < t.partitionCount()).orElse(false);
                    pr.setErrorCode((exists ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.UNKNOWN_TOPIC_OR_PARTITION).code());
                    continue;
                }
                pending.add(ShardSet.on(partition.owner(), () -> CompletableFuture.completedFuture(partition.activeProducers()))
                    .handle((producers, err) -> {
                        ctx.connectionLoop().execute(() -> fill(pr, producers, err));
                        return null;
                    }));
            }
        }
        CompletableFuture<DescribeProducersResponseData> result = new CompletableFuture<>();
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
            .whenComplete((v, e) -> ctx.connectionLoop().execute(() -> result.complete(response)));
        return result;
    }

    private static void fill(PartitionResponse pr, List<ActiveProducer> producers, Throwable err) {
        if (err != null) {
            pr.setErrorCode(PartitionException.errorOf(err).code()).setErrorMessage(err.getMessage());
            return;
        }
        for (ActiveProducer p : producers) {
            pr.activeProducers().add(new ProducerState().setProducerId(p.producerId()).setProducerEpoch(p.producerEpoch())
                .setLastSequence(p.lastSequence()).setLastTimestamp(p.lastTimestamp())
                .setCoordinatorEpoch(p.coordinatorEpoch()).setCurrentTxnStartOffset(p.currentTxnStartOffset()));
        }
    }
}
