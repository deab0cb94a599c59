package io.ailurus.core.kafka.handlers;

import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.txn.TransactionCoordinator;
import io.ailurus.core.txn.TxnErrors;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * EndTxn: commit or abort. Answered once the decision (PrepareCommit/PrepareAbort) is replicated;
 * the markers follow. The producer id and epoch in the v5 answer are the request's own (this broker
 * finalizes transaction.version 1 only, so there is no per-transaction epoch bump).
 */
public final class EndTxnHandler implements KafkaApiHandler<EndTxnRequestData, EndTxnResponseData> {
    private static final int FIRST_FENCED_VERSION = 2;

    private final TransactionCoordinator transactions;

    public EndTxnHandler(TransactionCoordinator transactions) {
        this.transactions = transactions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.END_TXN;
    }

    @Override
    public CompletableFuture<EndTxnResponseData> handle(RequestContext ctx, EndTxnRequestData request) {
        return transactions.endTxn(request.transactionalId(), request.producerId(), request.producerEpoch(), request.committed())
            .thenApply(e -> {
                EndTxnResponseData response = new EndTxnResponseData()
                    .setErrorCode(TxnErrors.forVersion(e, ctx.apiVersion(), FIRST_FENCED_VERSION).code());
                if (ctx.apiVersion() >= 5) { // the fields exist from v5 on; earlier encoders refuse them
                    response.setProducerId(request.producerId()).setProducerEpoch(request.producerEpoch());
                }
                return response;
            });
    }
}
