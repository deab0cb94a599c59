package io.ailurus.core.kafka;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Watches Kafka requests as the handlers answer them (metrics). {@link #start} sees the request
 * before its handler runs, so it can read the request's record buffers while they are certainly
 * valid; the returned {@link Observation} hears how the request ended before the protocol layer
 * writes (and releases) the response.
 *
 * <p>Called on the connection's event loop or a shard's loop: implementations must be cheap and
 * must not block.
 */
public interface RequestObserver {

    /** Observes nothing. */
    RequestObserver NONE = (api, request) -> null;

    /** Starts watching one request; null means "not interested in this one". */
    Observation start(ApiKeys api, ApiMessage request);

    /** One request being watched. */
    interface Observation {
        /** The handler answered; {@code response} is null when nothing is sent (Produce with acks=0). */
        void completed(ApiMessage response);

        /** The handler failed (the protocol layer answers with a generic error). */
        void failed(Throwable error);
    }
}
