package io.ailurus.core.kafka.handlers;

import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.partition.Partition;
import io.ailurus.core.partition.PartitionManager;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetForLeaderEpoch: the end offset of a leader epoch (Raft term), which consumers use after a
 * leader change to detect that their position was truncated away (KIP-320).
 */
public final class OffsetForLeaderEpochHandler
    implements KafkaApiHandler<OffsetForLeaderEpochRequestData, OffsetForLeaderEpochResponseData> {
    private final ClusterView cluster;
    private final PartitionManager partitions;

    public OffsetForLeaderEpochHandler(ClusterView cluster, PartitionManager partitions) {
        this.cluster = cluster;
        this.partitions = partitions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_FOR_LEADER_EPOCH;
    }

    @Override
    public CompletableFuture<OffsetForLeaderEpochResponseData> handle(RequestContext ctx, OffsetForLeaderEpochRequestData request) {
        OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
        for (var topic : request.topics()) {
            OffsetForLeaderTopicResult tr = new OffsetForLeaderTopicResult().setTopic(topic.topic());
            response.topics().add(tr);
            for (var p : topic.partitions()) {
                EpochEndOffset out = new EpochEndOffset().setPartition(p.partition()).setLeaderEpoch(-1).setEndOffset(-1);
                tr.partitions().add(out);
                Partition partition = partitions.get(new TopicPartition(topic.topic(), p.partition()));
                if (partition == null || !partition.isLeader()) { // a follower replica serves no clients
                    boolean exists = cluster.image().topic(topic.topic()).map(t -> p.partition() < t.partitionCount()).orElse(false);
                    out.setErrorCode((exists ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.UNKNOWN_TOPIC_OR_PARTITION).code());
                    continue;
                }
                if (p.currentLeaderEpoch() >= 0 && p.currentLeaderEpoch() != partition.leaderEpoch()) {
                    out.setErrorCode((p.currentLeaderEpoch() > partition.leaderEpoch()
                        ? Errors.UNKNOWN_LEADER_EPOCH : Errors.FENCED_LEADER_EPOCH).code());
                    continue;
                }
                Partition.EpochEndOffset end = partition.endOffsetForEpoch(p.leaderEpoch());
                out.setLeaderEpoch(end.epoch()).setEndOffset(end.endOffset());
            }
        }
        return CompletableFuture.completedFuture(response);
    }
}
