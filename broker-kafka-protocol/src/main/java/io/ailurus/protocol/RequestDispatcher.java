package io.ailurus.protocol;

import io.ailurus.protocol.versions.ApiVersionTable;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * What the protocol layer hands decoded requests to: the broker. Implemented by broker-core, usually
 * through {@link ApiHandlerRegistry}.
 */
public interface RequestDispatcher {
    /**
     * The APIs and versions this dispatcher serves. Requests outside it never reach
     * {@link #dispatch(KafkaRequest)}: the protocol layer answers them with UNSUPPORTED_VERSION.
     */
    ApiVersionTable versionTable();

    /**
     * Handles one request. Called on the connection's event loop; must not block it. The future may be
     * completed on any thread and in any order relative to other requests of the same connection (the
     * pipeline writes responses in request order).
     *
     * @return the response body ({@code *ResponseData} of the request's API, written at the request's
     *         version), or a future of {@code null} when no response is sent (Produce with acks=0). A
     *         future failed with an exception is answered with that API's error response
     *         ({@link ErrorResponses#forRequest}).
     */
    CompletableFuture<? extends ApiMessage> dispatch(KafkaRequest request);
}
