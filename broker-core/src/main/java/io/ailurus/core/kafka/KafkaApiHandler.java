package io.ailurus.core.kafka;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * The handler of one Kafka API (one class per API, as Redpanda keeps one file per API). It gets the
 * decoded request body and completes the response body; framing, headers and versions are the
 * protocol layer's business. A null response means "send nothing" (a Produce with {@code acks=0}).
 */
public interface KafkaApiHandler<Q extends ApiMessage, R extends ApiMessage> {

    ApiKeys apiKey();

    CompletableFuture<R> handle(RequestContext ctx, Q request);
}
