package io.ailurus.core.kafka.handlers;

import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.partition.Partition;
import io.ailurus.core.partition.PartitionException;
import io.ailurus.core.partition.PartitionManager;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ListOffsets: earliest (-2), latest (-1: the high watermark, or the last stable offset for
 * read_committed), max timestamp (-3), earliest local (-4), latest tiered (-5: no tiered storage, so
 * none), or the first offset whose record timestamp is at or after a given time.
 */
public final class ListOffsetsHandler implements KafkaApiHandler<ListOffsetsRequestData, ListOffsetsResponseData> {
    static final long LATEST = -1, EARLIEST = -2, MAX_TIMESTAMP = -3, EARLIEST_LOCAL = -4, LATEST_TIERED = -5;

    private final ClusterView cluster;
    private final PartitionManager partitions;

    public ListOffsetsHandler(ClusterView cluster, PartitionManager partitions) {
        this.cluster = cluster;
        this.partitions = partitions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_OFFSETS;
    }

    @Override
    public CompletableFuture<ListOffsetsResponseData> handle(RequestContext ctx, ListOffsetsRequestData request) {
        IsolationLevel isolation = request.isolationLevel() == IsolationLevel.READ_COMMITTED.id()
            ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED;
        ListOffsetsResponseData response = new ListOffsetsResponseData();
        for (var topic : request.topics()) {
            ListOffsetsTopicResponse tr = new ListOffsetsTopicResponse().setName(topic.name());
            response.topics().add(tr);
            for (var p : topic.partitions()) {
                tr.partitions().add(lookup(new TopicPartition(topic.name(), p.partitionIndex()), p, isolation, ctx.apiVersion()));
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private ListOffsetsPartitionResponse lookup(TopicPartition tp, ListOffsetsRequestData.ListOffsetsPartition p,
                                                IsolationLevel isolation, short version) {
        ListOffsetsPartitionResponse r = new ListOffsetsPartitionResponse().setPartitionIndex(tp.partition())
            .setTimestamp(-1).setOffset(-1).setLeaderEpoch(-1);
        Partition partition = partitions.get(tp);
        if (partition == null || !partition.isLeader()) { // a follower replica serves no clients
            boolean exists = cluster.image().topic(tp.topic()).map(t -> tp.partition() < t.partitionCount()).orElse(false);
            return r.setErrorCode((exists ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.UNKNOWN_TOPIC_OR_PARTITION).code());
        }
        if (p.currentLeaderEpoch() >= 0 && p.currentLeaderEpoch() != partition.leaderEpoch()) {
            Errors e = p.currentLeaderEpoch() > partition.leaderEpoch() ? Errors.UNKNOWN_LEADER_EPOCH : Errors.FENCED_LEADER_EPOCH;
            return r.setErrorCode(e.code());
        }
        try {
            long ts = p.timestamp();
            long offset;
            long timestamp = -1;
            int epoch = partition.leaderEpoch();
            if (ts == LATEST) {
                offset = isolation == IsolationLevel.READ_COMMITTED ? partition.lastStableOffset() : partition.highWatermark();
            } else if (ts == EARLIEST || ts == EARLIEST_LOCAL) {
                offset = partition.logStartOffset();
            } else if (ts == LATEST_TIERED) {
                offset = -1;
                epoch = -1;
            } else if (ts == MAX_TIMESTAMP) {
                Partition.OffsetAndTimestamp max = partition.maxTimestamp();
                offset = max == null ? -1 : max.offset();
                timestamp = max == null ? -1 : max.timestamp();
                epoch = max == null ? -1 : epoch;
            } else if (ts < 0) {
                return r.setErrorCode(Errors.INVALID_REQUEST.code());
            } else {
                Partition.OffsetAndTimestamp found = partition.offsetForTimestamp(ts, isolation);
                offset = found == null ? -1 : found.offset();
                timestamp = found == null ? -1 : found.timestamp();
                epoch = found == null ? -1 : epoch;
            }
            // The leader epoch field exists from v4 on; older versions (librdkafka 2.0 asks v2) cannot carry it.
            return r.setOffset(offset).setTimestamp(timestamp).setLeaderEpoch(version >= 4 ? epoch : -1);
        } catch (PartitionException e) {
            return r.setErrorCode(e.error().code());
        }
    }
}
