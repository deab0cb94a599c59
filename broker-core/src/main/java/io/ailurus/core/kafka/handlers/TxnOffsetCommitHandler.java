package io.ailurus.core.kafka.handlers;

import io.ailurus.core.group.GroupSettings;
import io.ailurus.core.group.OffsetEntry;
import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.TopicInfo;
import io.ailurus.core.txn.TransactionCoordinator;
import io.ailurus.core.txn.TxnErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * TxnOffsetCommit: a transactional producer's offsets for a consumer group. They are replicated at
 * once but held apart from the group's committed offsets until the transaction commits (dropped if
 * it aborts); OffsetFetch does not return them meanwhile. Partitions of unknown topics and
 * oversized metadata are refused one by one; the others are held together.
 *
 * <p>v5+ is what a transaction.version 2 client sends without an AddOffsetsToTxn before it (KIP-890
 * part 2): the group is added to the transaction here first, as AddOffsetsToTxn would have.
 */
public final class TxnOffsetCommitHandler implements KafkaApiHandler<TxnOffsetCommitRequestData, TxnOffsetCommitResponseData> {
    private static final int FIRST_FENCED_VERSION = 3;
    /** The first version whose sender does not add the group to its transaction itself. */
    static final int FIRST_IMPLICIT_ADD_VERSION = 5;

    private final ClusterView cluster;
    private final TransactionCoordinator transactions;

    public TxnOffsetCommitHandler(ClusterView cluster, TransactionCoordinator transactions) {
        this.cluster = cluster;
        this.transactions = transactions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.TXN_OFFSET_COMMIT;
    }

    @Override
    public CompletableFuture<TxnOffsetCommitResponseData> handle(RequestContext ctx, TxnOffsetCommitRequestData request) {
        MetadataImage image = cluster.image();
        List<OffsetEntry> accepted = new ArrayList<>();
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
        /** Per response partition: its own refusal, or null to take the transaction's answer. */
        List<TxnOffsetCommitResponsePartition> pending = new ArrayList<>();
        for (var t : request.topics()) {
            TxnOffsetCommitResponseTopic topic = new TxnOffsetCommitResponseTopic().setName(t.name());
            response.topics().add(topic);
            TopicInfo info = image.topic(t.name()).orElse(null);
            for (var p : t.partitions()) {
                TxnOffsetCommitResponsePartition out = new TxnOffsetCommitResponsePartition().setPartitionIndex(p.partitionIndex());
                topic.partitions().add(out);
                if (info == null || p.partitionIndex() < 0 || p.partitionIndex() >= info.partitionCount()) {
                    out.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                } else if (p.committedMetadata() != null && p.committedMetadata().length() > GroupSettings.MAX_METADATA_LENGTH) {
                    out.setErrorCode(Errors.OFFSET_METADATA_TOO_LARGE.code());
                } else {
                    accepted.add(new OffsetEntry(t.name(), p.partitionIndex(), p.committedOffset(), p.committedLeaderEpoch(),
                        p.committedMetadata() == null ? "" : p.committedMetadata()));
                    pending.add(out);
                }
            }
        }
        if (accepted.isEmpty()) {
            return CompletableFuture.completedFuture(response);
        }
        if (request.groupId() == null || request.groupId().isEmpty()) {
            pending.forEach(p -> p.setErrorCode(Errors.INVALID_GROUP_ID.code()));
            return CompletableFuture.completedFuture(response);
        }
        CompletableFuture<Errors> added = ctx.apiVersion() >= FIRST_IMPLICIT_ADD_VERSION
            ? transactions.addOffsets(request.transactionalId(), request.producerId(), request.producerEpoch(),
                request.groupId()).thenApply(TxnOffsetCommitHandler::retriableForCommit)
            : CompletableFuture.completedFuture(Errors.NONE);
        return added.thenCompose(e -> e != Errors.NONE ? CompletableFuture.completedFuture(e)
                : transactions.commitOffsets(request.transactionalId(), request.producerId(), request.producerEpoch(),
                    request.groupId(), accepted))
            .thenApply(e -> {
                short code = TxnErrors.forVersion(e, ctx.apiVersion(), FIRST_FENCED_VERSION).code();
                pending.forEach(p -> p.setErrorCode(code));
                return response;
            });
    }

    /**
     * A TxnOffsetCommit sender retries COORDINATOR_LOAD_IN_PROGRESS but does not expect the
     * coordinator's transient AddOffsetsToTxn answers; they are given in that form (as Kafka does).
     */
    static Errors retriableForCommit(Errors e) {
        return switch (e) {
            case CONCURRENT_TRANSACTIONS, COORDINATOR_NOT_AVAILABLE -> Errors.COORDINATOR_LOAD_IN_PROGRESS;
            default -> e;
        };
    }
}
