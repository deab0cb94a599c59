package io.ailurus.core.kafka.handlers;

import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.txn.TransactionCoordinator;
import io.ailurus.core.txn.TxnErrors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResultCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * AddPartitionsToTxn: v0-3 (clients) add one producer's partitions to its transaction; v4+ (brokers,
 * KIP-890) carry several transactions, each either added or, with {@code verifyOnly}, only checked
 * against the ongoing transaction.
 */
public final class AddPartitionsToTxnHandler
    implements KafkaApiHandler<AddPartitionsToTxnRequestData, AddPartitionsToTxnResponseData> {
    private static final int FIRST_FENCED_VERSION = 2;

    private final TransactionCoordinator transactions;

    public AddPartitionsToTxnHandler(TransactionCoordinator transactions) {
        this.transactions = transactions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ADD_PARTITIONS_TO_TXN;
    }

    @Override
    public CompletableFuture<AddPartitionsToTxnResponseData> handle(RequestContext ctx, AddPartitionsToTxnRequestData request) {
        short version = ctx.apiVersion();
        if (version < 4) {
            return add(request.v3AndBelowTransactionalId(), request.v3AndBelowProducerId(),
                request.v3AndBelowProducerEpoch(), request.v3AndBelowTopics(), false, version)
                .thenApply(results -> new AddPartitionsToTxnResponseData().setResultsByTopicV3AndBelow(results));
        }
        List<CompletableFuture<AddPartitionsToTxnResult>> each = new ArrayList<>();
        for (AddPartitionsToTxnTransaction t : request.transactions()) {
            each.add(add(t.transactionalId(), t.producerId(), t.producerEpoch(), t.topics(), t.verifyOnly(), version)
                .thenApply(results -> new AddPartitionsToTxnResult().setTransactionalId(t.transactionalId())
                    .setTopicResults(results)));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(v -> {
            AddPartitionsToTxnResponseData response = new AddPartitionsToTxnResponseData();
            each.forEach(f -> response.resultsByTransaction().add(f.join()));
            return response;
        });
    }

    private CompletableFuture<AddPartitionsToTxnTopicResultCollection> add(String transactionalId, long producerId,
                                                                           short producerEpoch,
                                                                           AddPartitionsToTxnTopicCollection topics,
                                                                           boolean verifyOnly, short version) {
        List<TopicPartition> partitions = new ArrayList<>();
        topics.forEach(t -> t.partitions().forEach(p -> partitions.add(new TopicPartition(t.name(), p))));
        CompletableFuture<Map<TopicPartition, Errors>> result;
        if (transactionalId == null || transactionalId.isEmpty()) {
            Map<TopicPartition, Errors> bad = new LinkedHashMap<>();
            partitions.forEach(tp -> bad.put(tp, Errors.INVALID_REQUEST));
            result = CompletableFuture.completedFuture(bad);
        } else if (verifyOnly) {
            result = CompletableFuture.completedFuture(
                transactions.verifyPartitions(transactionalId, producerId, producerEpoch, partitions));
        } else {
            result = transactions.addPartitions(transactionalId, producerId, producerEpoch, partitions);
        }
        return result.thenApply(errors -> {
            AddPartitionsToTxnTopicResultCollection out = new AddPartitionsToTxnTopicResultCollection();
            errors.forEach((tp, e) -> {
                AddPartitionsToTxnTopicResult topic = out.find(tp.topic());
                if (topic == null) {
                    topic = new AddPartitionsToTxnTopicResult().setName(tp.topic());
                    out.add(topic);
                }
                topic.resultsByPartition().add(new AddPartitionsToTxnPartitionResult().setPartitionIndex(tp.partition())
                    .setPartitionErrorCode(TxnErrors.forVersion(e, version, FIRST_FENCED_VERSION).code()));
            });
            return out;
        });
    }
}
