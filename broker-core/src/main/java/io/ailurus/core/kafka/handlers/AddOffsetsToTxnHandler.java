package io.ailurus.core.kafka.handlers;

import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.txn.TransactionCoordinator;
import io.ailurus.core.txn.TxnErrors;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/** AddOffsetsToTxn: a consumer group's offsets join the producer's transaction (sendOffsetsToTransaction). */
public final class AddOffsetsToTxnHandler implements KafkaApiHandler<AddOffsetsToTxnRequestData, AddOffsetsToTxnResponseData> {
    private static final int FIRST_FENCED_VERSION = 2;

    private final TransactionCoordinator transactions;

    public AddOffsetsToTxnHandler(TransactionCoordinator transactions) {
        this.transactions = transactions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ADD_OFFSETS_TO_TXN;
    }

    @Override
    public CompletableFuture<AddOffsetsToTxnResponseData> handle(RequestContext ctx, AddOffsetsToTxnRequestData request) {
        return transactions.addOffsets(request.transactionalId(), request.producerId(), request.producerEpoch(),
                request.groupId())
            .thenApply(e -> new AddOffsetsToTxnResponseData()
                .setErrorCode(TxnErrors.forVersion(e, ctx.apiVersion(), FIRST_FENCED_VERSION).code()));
    }
}
