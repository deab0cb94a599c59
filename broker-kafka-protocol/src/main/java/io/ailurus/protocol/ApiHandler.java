package io.ailurus.protocol;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * The handler of one Kafka API (one class per API in broker-core, as Redpanda keeps one file per API).
 * Same contract as {@link RequestDispatcher#dispatch(KafkaRequest)}.
 */
@FunctionalInterface
public interface ApiHandler {
    /** Handles a request of this handler's API at a version in the version table. */
    CompletableFuture<? extends ApiMessage> handle(KafkaRequest request);
}
