package io.ailurus.protocol.versions;

import io.ailurus.protocol.ApiHandler;
import io.ailurus.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;

/**
 * Answers ApiVersions requests (of a supported version) from the {@link ApiVersionTable}. Too-new
 * versions never get here: the decoder answers them with a v0 UNSUPPORTED_VERSION response.
 */
public final class ApiVersionsHandler implements ApiHandler {
    private final ApiVersionTable table;
    private final UnaryOperator<ApiVersionsResponseData> customizer;

    /**
     * @param table      what to advertise
     * @param customizer applied to each successful response (features); identity if none
     */
    public ApiVersionsHandler(ApiVersionTable table, UnaryOperator<ApiVersionsResponseData> customizer) {
        this.table = table;
        this.customizer = customizer;
    }

    @Override
    public CompletableFuture<ApiVersionsResponseData> handle(KafkaRequest request) {
        ApiVersionsRequestData data = request.body(ApiVersionsRequestData.class);
        // v3+ carries the client's software name and version; Kafka rejects malformed ones this way.
        if (!new ApiVersionsRequest(data, request.apiVersion()).isValid()) {
            return CompletableFuture.completedFuture(new ApiVersionsResponseData()
                    .setErrorCode(Errors.INVALID_REQUEST.code())
                    .setApiKeys(table.toApiVersions()));
        }
        // Features are tagged fields, which only v3+ responses can carry.
        return CompletableFuture.completedFuture(request.apiVersion() >= 3
                ? customizer.apply(table.toResponse()) : table.toResponse());
    }
}
