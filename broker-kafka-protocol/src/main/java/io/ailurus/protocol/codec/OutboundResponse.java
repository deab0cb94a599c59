package io.ailurus.protocol.codec;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * A response ready to encode: the body, the API and version it is written at, and the correlation id
 * of the request it answers.
 *
 * @param api           the API (its response header version depends on it and on {@code version})
 * @param version       the version the body is written at (the request's, or 0 for a too-new ApiVersions)
 * @param correlationId echoed from the request header
 * @param body          the {@code *ResponseData}
 * @param arrivalNanos  when the request arrived (latency accounting)
 */
public record OutboundResponse(ApiKeys api, short version, int correlationId, ApiMessage body, long arrivalNanos) {
}
