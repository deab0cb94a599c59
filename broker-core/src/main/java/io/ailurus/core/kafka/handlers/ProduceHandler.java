package io.ailurus.core.kafka.handlers;

import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.TopicInfo;
import io.ailurus.core.partition.Partition;
import io.ailurus.core.partition.PartitionException;
import io.ailurus.core.partition.PartitionManager;
import io.ailurus.core.shard.ShardSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Produce: each partition's batches are appended on the partition's owner shard; the answers are
 * gathered back here. {@code acks=-1} answers once every partition has committed its batches (or the
 * request's timeout passes: REQUEST_TIMED_OUT for the ones still waiting); {@code acks=1} after the
 * leader's append; {@code acks=0} gets no response at all.
 */
public final class ProduceHandler implements KafkaApiHandler<ProduceRequestData, ProduceResponseData> {
    /**
     * Produce v12 is what a transaction.version 2 client sends (KIP-890 part 2): it does not add data
     * partitions to its transaction itself, the partition leader does.
     */
    static final int FIRST_IMPLICIT_ADD_VERSION = 12;

    private final ClusterView cluster;
    private final PartitionManager partitions;
    /**
     * Per partition and producer, the newest append that is waiting for the transaction coordinator
     * (completed once it is handed to the partition or refused).
     * A producer keeps up to 5 requests in flight; without this, a later batch whose check answered
     * first would be written before the earlier one and break the sequence order. Each key is read and
     * set on its partition's owner shard only.
     */
    private final java.util.concurrent.ConcurrentHashMap<ProducerOnPartition, CompletableFuture<Void>>
        awaitingCoordinator = new java.util.concurrent.ConcurrentHashMap<>();

    private record ProducerOnPartition(TopicPartition tp, long producerId) {}

    public ProduceHandler(ClusterView cluster, PartitionManager partitions) {
        this.cluster = cluster;
        this.partitions = partitions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.PRODUCE;
    }

    @Override
    public CompletableFuture<ProduceResponseData> handle(RequestContext ctx, ProduceRequestData request) {
        short acks = request.acks();
        if (acks != 0 && acks != 1 && acks != -1) {
            return CompletableFuture.completedFuture(allFailed(request, Errors.INVALID_REQUIRED_ACKS,
                "acks must be -1, 0 or 1, was " + acks));
        }
        String transactionalId = request.transactionalId();
        if (transactionalId == null && hasTransactionalBatch(request)) {
            // As Kafka: transactional records need a transactional id (the authorization subject).
            return CompletableFuture.completedFuture(allFailed(request, Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
                "transactional record batches need the request's transactional id"));
        }
        MetadataImage image = cluster.image();
        ProduceResponseData response = new ProduceResponseData();
        List<Pending> pending = new ArrayList<>();
        for (var topicData : request.topicData()) {
            String name = topicData.name();
            Uuid topicId = topicData.topicId();
            if ((name == null || name.isEmpty()) && topicId != null && !Uuid.ZERO_UUID.equals(topicId)) {
                name = image.topicById(topicId.toString()).map(TopicInfo::name).orElse(null);
            }
            TopicProduceResponse topicResponse = new TopicProduceResponse().setName(topicData.name()).setTopicId(topicId);
            response.responses().add(topicResponse);
            for (var partitionData : topicData.partitionData()) {
                PartitionProduceResponse pr = new PartitionProduceResponse().setIndex(partitionData.index());
                topicResponse.partitionResponses().add(pr);
                if (name == null) {
                    fill(pr, topicId != null && !Uuid.ZERO_UUID.equals(topicId) ? Errors.UNKNOWN_TOPIC_ID
                        : Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
                    continue;
                }
                Partition partition = partitions.get(new TopicPartition(name, partitionData.index()));
                if (partition == null) {
                    Errors e = image.topic(name).isPresent() ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.UNKNOWN_TOPIC_OR_PARTITION;
                    fill(pr, e, null);
                    continue;
                }
                if (!(partitionData.records() instanceof MemoryRecords records)) {
                    fill(pr, Errors.CORRUPT_MESSAGE, "produce records could not be read");
                    continue;
                }
                TopicPartition tp = new TopicPartition(name, partitionData.index());
                pending.add(new Pending(pr, ShardSet.on(partition.owner(),
                    () -> appendVerified(partition, tp, records, acks, transactionalId,
                        ctx.apiVersion() >= FIRST_IMPLICIT_ADD_VERSION))));
            }
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(
            pending.stream().map(Pending::outcome).toArray(CompletableFuture[]::new));
        if (acks == 0) {
            return all.handle((v, e) -> null);
        }
        // The response is assembled on the connection's loop only, so a timeout and late completions never race.
        CompletableFuture<ProduceResponseData> result = new CompletableFuture<>();
        all.whenComplete((v, e) -> ctx.connectionLoop().execute(() -> finish(response, pending, result)));
        if (acks == -1 && !all.isDone()) {
            ctx.connectionLoop().schedule(() -> finish(response, pending, result),
                Math.max(0, request.timeoutMs()), TimeUnit.MILLISECONDS);
        }
        return result;
    }

    /**
     * KIP-890: the first transactional batch of a producer's transaction on a partition is written only
     * once the transaction coordinator confirms the partition is part of that transaction (v11 and
     * older: verify only) or has added it (v12+, transaction.version 2); later ones extend the open
     * transaction directly. On the partition's owner shard.
     */
    private CompletableFuture<Partition.AppendOutcome> appendVerified(Partition partition, TopicPartition tp,
                                                                    MemoryRecords records, short acks, String transactionalId,
                                                                    boolean implicitAdd) {
        RecordBatch first = firstBatch(records);
        if (first == null || !first.isTransactional() || transactionalId == null) {
            return partition.append(records, acks);
        }
        ProducerOnPartition key = new ProducerOnPartition(tp, first.producerId());
        CompletableFuture<Void> earlier = awaitingCoordinator.get(key);
        CompletableFuture<Void> handedOff = new CompletableFuture<>();
        CompletableFuture<Partition.AppendOutcome> result = earlier == null
            ? checkAndAppend(partition, tp, records, acks, transactionalId, implicitAdd, first, handedOff)
            : earlier.thenCompose(v -> ShardSet.on(partition.owner(),
                () -> checkAndAppend(partition, tp, records, acks, transactionalId, implicitAdd, first, handedOff)));
        result.whenComplete((o, e) -> handedOff.complete(null)); // refused or failed before the hand-off
        if (!handedOff.isDone()) {
            awaitingCoordinator.put(key, handedOff);
            handedOff.whenComplete((v, e) -> awaitingCoordinator.remove(key, handedOff));
        }
        return result;
    }

    /** Appends on the owner shard after telling batches queued behind this one that it is in the partition's order. */
    private static CompletableFuture<Partition.AppendOutcome> handOff(Partition partition, MemoryRecords records, short acks,
                                                                      CompletableFuture<Void> handedOff) {
        try {
            return partition.append(records, acks);
        } finally {
            handedOff.complete(null);
        }
    }

    private CompletableFuture<Partition.AppendOutcome> checkAndAppend(Partition partition, TopicPartition tp,
                                                                    MemoryRecords records, short acks,
                                                                    String transactionalId, boolean implicitAdd,
                                                                    RecordBatch first, CompletableFuture<Void> handedOff) {
        long pid = first.producerId();
        if (implicitAdd) {
            return appendAdded(partition, tp, records, acks, transactionalId, first, handedOff);
        }
        if (partition.hasOngoingTransaction(pid)) {
            return handOff(partition, records, acks, handedOff);
        }
        long markersBefore = partition.txnMarkerCount(pid);
        return partitions.transactionVerifier()
            .verify(transactionalId, pid, first.producerEpoch(), tp)
            .thenCompose(error -> {
                if (error != Errors.NONE) {
                    return CompletableFuture.failedFuture(new PartitionException(error,
                        "transaction " + transactionalId + " did not add " + tp + " (" + error.name() + ")"));
                }
                return ShardSet.on(partition.owner(), () -> {
                    // Verification guard: a marker written while the coordinator was asked ended the verified
                    // transaction; this (late) batch must not open a new one that nobody will ever end.
                    if (!partition.hasOngoingTransaction(pid) && partition.txnMarkerCount(pid) != markersBefore) {
                        return CompletableFuture.failedFuture(new PartitionException(Errors.INVALID_TXN_STATE,
                            "transaction " + transactionalId + " ended on " + tp + " while this batch was verified"));
                    }
                    return handOff(partition, records, acks, handedOff);
                });
            });
    }

    /**
     * transaction.version 2: the partition leader adds {@code tp} to the transaction before the
     * transaction's first batch here. An open transaction here extends directly only if it is at this
     * batch's epoch: one at an older epoch is the previous transaction, whose (epoch-bumped) marker may
     * still be on its way, and this batch must not join it.
     *
     * <p>Verification guard, as for v11: the coordinator waits for the previous transaction's markers
     * before adding, so the one marker ending an older open transaction here may arrive meanwhile; any
     * other marker means the transaction this batch was added to has ended, and the batch is refused.
     * (A transaction.version 2 marker for it would carry a newer epoch and fence the batch anyway.)
     */
    private CompletableFuture<Partition.AppendOutcome> appendAdded(Partition partition, TopicPartition tp,
                                                                   MemoryRecords records, short acks,
                                                                   String transactionalId, RecordBatch first,
                                                                   CompletableFuture<Void> handedOff) {
        long pid = first.producerId();
        short epoch = first.producerEpoch();
        boolean olderOpen = partition.hasOngoingTransaction(pid);
        if (olderOpen && partition.producerEpoch(pid) == epoch) {
            return handOff(partition, records, acks, handedOff);
        }
        long markersBefore = partition.txnMarkerCount(pid);
        return partitions.transactionVerifier()
            .addPartition(transactionalId, pid, epoch, tp)
            .thenCompose(error -> {
                if (error != Errors.NONE) {
                    return CompletableFuture.failedFuture(new PartitionException(error,
                        "transaction " + transactionalId + " could not add " + tp + " (" + error.name() + ")"));
                }
                return ShardSet.on(partition.owner(), () -> {
                    if (partition.hasOngoingTransaction(pid) && partition.producerEpoch(pid) < epoch) {
                        // The previous transaction's marker is still on its way: the client retries.
                        return CompletableFuture.failedFuture(new PartitionException(Errors.NOT_ENOUGH_REPLICAS,
                            "the previous transaction of " + transactionalId + " is still being completed on " + tp));
                    }
                    long markersMeanwhile = partition.txnMarkerCount(pid) - markersBefore;
                    if (!partition.hasOngoingTransaction(pid) && markersMeanwhile > (olderOpen ? 1 : 0)) {
                        return CompletableFuture.failedFuture(new PartitionException(Errors.INVALID_TXN_STATE,
                            "transaction " + transactionalId + " ended on " + tp + " while this batch was added"));
                    }
                    return handOff(partition, records, acks, handedOff);
                });
            });
    }

    private static RecordBatch firstBatch(MemoryRecords records) {
        var it = records.batches().iterator();
        return it.hasNext() ? it.next() : null;
    }

    private static boolean hasTransactionalBatch(ProduceRequestData request) {
        for (var t : request.topicData()) {
            for (var p : t.partitionData()) {
                if (p.records() instanceof MemoryRecords m) {
                    for (RecordBatch b : m.batches()) {
                        if (b.isTransactional()) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    private record Pending(PartitionProduceResponse response, CompletableFuture<Partition.AppendOutcome> outcome) {}

    private static void finish(ProduceResponseData response, List<Pending> pending, CompletableFuture<ProduceResponseData> result) {
        if (result.isDone()) {
            return;
        }
        for (Pending p : pending) {
            CompletableFuture<Partition.AppendOutcome> f = p.outcome();
            if (!f.isDone()) {
                // The write may still commit; the client retries and idempotence answers it as a duplicate.
                fill(p.response(), Errors.REQUEST_TIMED_OUT, "the write was not committed within the request's timeout");
            } else if (f.isCompletedExceptionally()) {
                Throwable err = f.handle((v, e) -> e).join();
                fill(p.response(), PartitionException.errorOf(err), messageOf(err));
            } else {
                Partition.AppendOutcome o = f.join();
                p.response().setBaseOffset(o.baseOffset()).setLogAppendTimeMs(o.logAppendTime())
                    .setLogStartOffset(o.logStartOffset());
            }
        }
        result.complete(response);
    }

    private static String messageOf(Throwable err) {
        while (err instanceof java.util.concurrent.CompletionException && err.getCause() != null) {
            err = err.getCause();
        }
        return err.getMessage();
    }

    private static void fill(PartitionProduceResponse pr, Errors error, String message) {
        pr.setErrorCode(error.code()).setErrorMessage(message).setBaseOffset(-1).setLogAppendTimeMs(-1).setLogStartOffset(-1);
    }

    private static ProduceResponseData allFailed(ProduceRequestData request, Errors error, String message) {
        ProduceResponseData response = new ProduceResponseData();
        for (var t : request.topicData()) {
            TopicProduceResponse tr = new TopicProduceResponse().setName(t.name()).setTopicId(t.topicId());
            for (var p : t.partitionData()) {
                PartitionProduceResponse pr = new PartitionProduceResponse().setIndex(p.index());
                fill(pr, error, message);
                tr.partitionResponses().add(pr);
            }
            response.responses().add(tr);
        }
        return response;
    }
}
