package io.ailurus.core.kafka.handlers;

import io.ailurus.core.fetch.FetchRecords;
import io.ailurus.core.fetch.FetchSessionCache;
import io.ailurus.core.fetch.FetchSessionCache.FetchPosition;
import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.TopicInfo;
import io.ailurus.core.partition.Partition;
import io.ailurus.core.partition.PartitionException;
import io.ailurus.core.partition.PartitionManager;
import io.ailurus.core.partition.PartitionRead;
import io.ailurus.protocol.records.SlicedRecords;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Fetch for consumers: reads whole batches below the high watermark (or the last stable offset for
 * read_committed) straight from the segment files or the tail cache, zero-copy. Long polls: when less
 * than {@code minBytes} is available the request waits until a partition gets new data or
 * {@code maxWaitMs} passes. Incremental fetch sessions (KIP-227) keep repeated requests small.
 *
 * <p>Reads are safe from any thread, so the whole request runs on the connection's event loop.
 */
public final class FetchHandler implements KafkaApiHandler<FetchRequestData, FetchResponseData> {
    private final ClusterView cluster;
    private final PartitionManager partitions;
    private final FetchSessionCache sessions;
    private final int brokerMaxBytes;

    public FetchHandler(ClusterView cluster, PartitionManager partitions, FetchSessionCache sessions, int brokerMaxBytes) {
        this.cluster = cluster;
        this.partitions = partitions;
        this.sessions = sessions;
        this.brokerMaxBytes = brokerMaxBytes;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FETCH;
    }

    @Override
    public CompletableFuture<FetchResponseData> handle(RequestContext ctx, FetchRequestData request) {
        MetadataImage image = cluster.image();
        Map<TopicPartition, FetchPosition> wanted = new LinkedHashMap<>();
        List<FetchableTopicResponse> unknownIds = new ArrayList<>();
        for (var topic : request.topics()) {
            String name = resolveName(image, topic.topic(), topic.topicId());
            if (name == null) {
                FetchableTopicResponse r = new FetchableTopicResponse().setTopic(topic.topic()).setTopicId(topic.topicId());
                topic.partitions().forEach(p -> r.partitions().add(errorData(p.partition(), Errors.UNKNOWN_TOPIC_ID)));
                unknownIds.add(r);
                continue;
            }
            for (var p : topic.partitions()) {
                wanted.put(new TopicPartition(name, p.partition()),
                    new FetchPosition(topic.topicId(), p.fetchOffset(), p.partitionMaxBytes(), p.currentLeaderEpoch()));
            }
        }
        List<TopicPartition> forgotten = new ArrayList<>();
        for (var f : request.forgottenTopicsData()) {
            String name = resolveName(image, f.topic(), f.topicId());
            if (name != null) {
                f.partitions().forEach(p -> forgotten.add(new TopicPartition(name, p)));
            }
        }
        FetchSessionCache.Resolution session = sessions.resolve(request.sessionId(), request.sessionEpoch(), wanted, forgotten);
        if (session.error() != Errors.NONE) {
            return CompletableFuture.completedFuture(new FetchResponseData().setErrorCode(session.error().code())
                .setSessionId(FetchSessionCache.INVALID_SESSION_ID));
        }
        LongPoll poll = new LongPoll(ctx, request, session, unknownIds);
        poll.attempt(false);
        return poll.result;
    }

    private static String resolveName(MetadataImage image, String name, Uuid topicId) {
        if (topicId != null && !Uuid.ZERO_UUID.equals(topicId)) {
            return image.topicById(topicId.toString()).map(TopicInfo::name).orElse(null);
        }
        return name;
    }

    private static PartitionData errorData(int partition, Errors error) {
        return new PartitionData().setPartitionIndex(partition).setErrorCode(error.code())
            .setHighWatermark(-1).setLastStableOffset(-1).setLogStartOffset(-1).setRecords(MemoryRecords.EMPTY);
    }

    /** One fetch request's life: read, maybe wait for data, read again, answer once. */
    private final class LongPoll {
        private final RequestContext ctx;
        private final FetchRequestData request;
        private final FetchSessionCache.Resolution session;
        private final List<FetchableTopicResponse> unknownIds;
        private final IsolationLevel isolation;
        private final long deadlineNanos;
        private final CompletableFuture<FetchResponseData> result = new CompletableFuture<>();
        private final List<Runnable> cancellations = new ArrayList<>();
        private boolean retryScheduled;

        LongPoll(RequestContext ctx, FetchRequestData request, FetchSessionCache.Resolution session,
                 List<FetchableTopicResponse> unknownIds) {
            this.ctx = ctx;
            this.request = request;
            this.session = session;
            this.unknownIds = unknownIds;
            this.isolation = request.isolationLevel() == IsolationLevel.READ_COMMITTED.id()
                ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED;
            this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, request.maxWaitMs()));
        }

        /** On the connection loop. {@code finalAttempt}: the wait is over, answer whatever there is. */
        void attempt(boolean finalAttempt) {
            retryScheduled = false;
            if (result.isDone()) {
                return;
            }
            Map<TopicPartition, PartitionData> read = new LinkedHashMap<>();
            int budget = request.maxBytes() <= 0 ? brokerMaxBytes : Math.min(request.maxBytes(), brokerMaxBytes);
            long bytes = 0;
            boolean errors = false;
            for (var e : session.partitions().entrySet()) {
                PartitionData data = readOne(e.getKey(), e.getValue(), (int) Math.max(0, budget - bytes), bytes == 0);
                read.put(e.getKey(), data);
                if (data.errorCode() != Errors.NONE.code()) {
                    errors = true;
                }
                bytes += data.records().sizeInBytes();
            }
            boolean enough = bytes >= Math.max(1, request.minBytes()) || errors || !unknownIds.isEmpty();
            if (enough || finalAttempt || request.maxWaitMs() <= 0 || session.partitions().isEmpty()
                || System.nanoTime() >= deadlineNanos) {
                cancelWaits();
                result.complete(respond(read));
                return;
            }
            // Not enough yet: give the slices back and wait for new data or the deadline.
            read.values().forEach(d -> {
                if (d.records() instanceof SlicedRecords s) {
                    s.release();
                }
            });
            if (cancellations.isEmpty()) {
                for (TopicPartition tp : session.partitions().keySet()) {
                    Partition p = partitions.get(tp);
                    if (p != null) {
                        cancellations.add(p.onNextDataAvailable(this::scheduleRetry));
                    }
                }
                ctx.connectionLoop().schedule(() -> attempt(true), deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
            } else {
                // Woken but still short of minBytes: listen again on every partition.
                cancelWaits();
                for (TopicPartition tp : session.partitions().keySet()) {
                    Partition p = partitions.get(tp);
                    if (p != null) {
                        cancellations.add(p.onNextDataAvailable(this::scheduleRetry));
                    }
                }
            }
        }

        private void scheduleRetry() {
            ctx.connectionLoop().execute(() -> {
                if (!retryScheduled && !result.isDone()) {
                    retryScheduled = true;
                    attempt(false);
                }
            });
        }

        private void cancelWaits() {
            cancellations.forEach(Runnable::run);
            cancellations.clear();
        }

        private PartitionData readOne(TopicPartition tp, FetchPosition pos, int budget, boolean first) {
            Partition p = partitions.get(tp);
            if (p == null || !p.isLeader()) { // a follower replica serves no clients
                Errors e = cluster.image().topic(tp.topic()).map(t -> tp.partition() < t.partitionCount()).orElse(false)
                    ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.UNKNOWN_TOPIC_OR_PARTITION;
                return errorData(tp.partition(), e);
            }
            if (pos.currentLeaderEpoch() >= 0 && pos.currentLeaderEpoch() != p.leaderEpoch()) {
                Errors e = pos.currentLeaderEpoch() > p.leaderEpoch() ? Errors.UNKNOWN_LEADER_EPOCH : Errors.FENCED_LEADER_EPOCH;
                return withOffsets(errorData(tp.partition(), e), p);
            }
            int limit = Math.min(pos.maxBytes(), budget);
            try {
                if (limit <= 0 && !first) {
                    return withOffsets(new PartitionData().setPartitionIndex(tp.partition()).setRecords(MemoryRecords.EMPTY), p);
                }
                PartitionRead r = p.read(pos.fetchOffset(), Math.max(limit, 0), isolation, first);
                PartitionData d = new PartitionData().setPartitionIndex(tp.partition())
                    .setHighWatermark(r.highWatermark())
                    .setLastStableOffset(r.lastStableOffset())
                    .setLogStartOffset(r.logStartOffset())
                    .setRecords(FetchRecords.of(r.records()));
                if (isolation == IsolationLevel.READ_COMMITTED && !r.records().isEmpty()) {
                    // The consumer drops the records of these transactions from what it was sent.
                    d.setAbortedTransactions(abortedIn(p, pos.fetchOffset(), r.records().nextOffset(r.lastStableOffset())));
                }
                return d;
            } catch (PartitionException e) {
                return withOffsets(errorData(tp.partition(), e.error()), p);
            }
        }

        private List<FetchResponseData.AbortedTransaction> abortedIn(Partition p, long from, long toExclusive) {
            List<FetchResponseData.AbortedTransaction> out = new ArrayList<>();
            for (Partition.AbortedTransaction t : p.abortedTransactions(from, toExclusive)) {
                out.add(new FetchResponseData.AbortedTransaction().setProducerId(t.producerId()).setFirstOffset(t.firstOffset()));
            }
            return out;
        }

        private PartitionData withOffsets(PartitionData d, Partition p) {
            return d.setHighWatermark(p.highWatermark()).setLastStableOffset(p.lastStableOffset())
                .setLogStartOffset(p.logStartOffset());
        }

        private FetchResponseData respond(Map<TopicPartition, PartitionData> read) {
            FetchSessionCache.FetchSession s = session.session();
            FetchResponseData response = new FetchResponseData()
                .setSessionId(s == null ? FetchSessionCache.INVALID_SESSION_ID : s.id());
            Map<String, FetchableTopicResponse> byTopic = new LinkedHashMap<>();
            for (var e : read.entrySet()) {
                TopicPartition tp = e.getKey();
                PartitionData d = e.getValue();
                if (isolation != IsolationLevel.READ_COMMITTED) {
                    d.setAbortedTransactions(null);
                } else if (d.abortedTransactions() == null) {
                    d.setAbortedTransactions(new ArrayList<>());
                }
                boolean hasNews = d.records().sizeInBytes() > 0 || d.errorCode() != Errors.NONE.code();
                boolean report = s == null || s.mustReport(tp, hasNews, d.highWatermark(), d.lastStableOffset(), d.logStartOffset());
                if (session.incremental() && !report) {
                    continue;
                }
                FetchPosition pos = session.partitions().get(tp);
                byTopic.computeIfAbsent(tp.topic(), t -> new FetchableTopicResponse().setTopic(t)
                        .setTopicId(pos.topicId() == null ? Uuid.ZERO_UUID : pos.topicId()))
                    .partitions().add(d);
            }
            byTopic.values().forEach(t -> response.responses().add(t));
            unknownIds.forEach(t -> response.responses().add(t));
            return response;
        }
    }
}
