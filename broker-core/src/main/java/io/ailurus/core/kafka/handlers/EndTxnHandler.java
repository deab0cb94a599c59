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
 * the markers follow. A Kafka 4.x client sends v5 only when transaction.version 2 is finalized: then
 * the decision bumps the producer epoch and the answer carries the pair the client continues with
 * (KIP-890 part 2). v0-4 keep transaction.version 1's semantics (no bump).
 */
public final class EndTxnHandler implements KafkaApiHandler<EndTxnRequestData, EndTxnResponseData> {
    private static final int FIRST_FENCED_VERSION = 2;
    /** The first version sent by transaction.version 2 clients: its decision bumps the epoch. */
    static final int FIRST_EPOCH_BUMP_VERSION = 5;

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
        if (ctx.apiVersion() >= FIRST_EPOCH_BUMP_VERSION) {
            return transactions.endTxnBumpingEpoch(request.transactionalId(), request.producerId(),
                    request.producerEpoch(), request.committed())
                .thenApply(r -> new EndTxnResponseData()
                    .setErrorCode(r.error().code())
                    .setProducerId(r.producerId())
                    .setProducerEpoch(r.producerEpoch()));
        }
        return transactions.endTxn(request.transactionalId(), request.producerId(), request.producerEpoch(), request.committed())
            .thenApply(e -> new EndTxnResponseData()
                .setErrorCode(TxnErrors.forVersion(e, ctx.apiVersion(), FIRST_FENCED_VERSION).code()));
    }
}
