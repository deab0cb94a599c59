package io.ailurus.core.kafka.handlers;

import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.producer.ProducerIdAllocator;
import io.ailurus.core.txn.TransactionCoordinator;
import io.ailurus.core.txn.TxnErrors;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * InitProducerId. Without a transactional id: a fresh producer id with epoch 0 each time (as Kafka
 * does for idempotent producers, including their KIP-360 epoch-bump requests). With one: the
 * transaction coordinator's id and epoch (new id on first use, epoch bump and fencing after).
 */
public final class InitProducerIdHandler implements KafkaApiHandler<InitProducerIdRequestData, InitProducerIdResponseData> {
    /** PRODUCER_FENCED exists from this version on (KIP-588); older clients get INVALID_PRODUCER_EPOCH. */
    private static final int FIRST_FENCED_VERSION = 4;

    private final ProducerIdAllocator ids;
    private final TransactionCoordinator transactions;

    /** @param transactions the coordinator, or null on a broker without one (transactional ids refused) */
    public InitProducerIdHandler(ProducerIdAllocator ids, TransactionCoordinator transactions) {
        this.ids = ids;
        this.transactions = transactions;
    }

    public InitProducerIdHandler(ProducerIdAllocator ids) {
        this(ids, null);
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INIT_PRODUCER_ID;
    }

    @Override
    public CompletableFuture<InitProducerIdResponseData> handle(RequestContext ctx, InitProducerIdRequestData request) {
        if (request.transactionalId() != null) {
            if (transactions == null) {
                return CompletableFuture.completedFuture(failed(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
            }
            if (request.transactionalId().isEmpty()) {
                return CompletableFuture.completedFuture(failed(Errors.INVALID_REQUEST));
            }
            short version = ctx.apiVersion();
            long pid = version >= 3 ? request.producerId() : -1;
            short epoch = version >= 3 ? request.producerEpoch() : -1;
            return transactions.initProducerId(request.transactionalId(), request.transactionTimeoutMs(), pid, epoch)
                .thenApply(r -> r.error() != Errors.NONE
                    ? failed(TxnErrors.forVersion(r.error(), version, FIRST_FENCED_VERSION))
                    : new InitProducerIdResponseData().setProducerId(r.producerId()).setProducerEpoch(r.producerEpoch()));
        }
        return ids.nextId().handle((id, err) -> err != null
            ? failed(Errors.COORDINATOR_NOT_AVAILABLE)
            : new InitProducerIdResponseData().setProducerId(id).setProducerEpoch((short) 0));
    }

    private static InitProducerIdResponseData failed(Errors e) {
        return new InitProducerIdResponseData().setErrorCode(e.code()).setProducerId(-1).setProducerEpoch((short) -1);
    }
}
