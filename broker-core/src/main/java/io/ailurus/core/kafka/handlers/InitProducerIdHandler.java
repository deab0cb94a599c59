package io.ailurus.core.kafka.handlers;

import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.producer.ProducerIdAllocator;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * InitProducerId for idempotent producers: a fresh producer id with epoch 0 each time (as Kafka does
 * for producers without a transactional id, including their KIP-360 epoch-bump requests).
 * Transactional ids need the transaction coordinator, which this build does not have yet.
 */
public final class InitProducerIdHandler implements KafkaApiHandler<InitProducerIdRequestData, InitProducerIdResponseData> {
    private final ProducerIdAllocator ids;

    public InitProducerIdHandler(ProducerIdAllocator ids) {
        this.ids = ids;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INIT_PRODUCER_ID;
    }

    @Override
    public CompletableFuture<InitProducerIdResponseData> handle(RequestContext ctx, InitProducerIdRequestData request) {
        if (request.transactionalId() != null) {
            return CompletableFuture.completedFuture(new InitProducerIdResponseData()
                .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())
                .setProducerId(-1).setProducerEpoch((short) -1));
        }
        return ids.nextId().handle((id, err) -> err != null
            ? new InitProducerIdResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                .setProducerId(-1).setProducerEpoch((short) -1)
            : new InitProducerIdResponseData().setProducerId(id).setProducerEpoch((short) 0));
    }
}
