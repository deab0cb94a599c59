package io.ailurus.protocol;

import io.ailurus.protocol.versions.ApiVersionTable;
import io.ailurus.protocol.versions.ApiVersionsHandler;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * A {@link RequestDispatcher} made of one {@link ApiHandler} per API. Its version table is built from the
 * registered handlers, so the APIs advertised in ApiVersions are exactly those with a handler (ApiVersions
 * itself is registered automatically from that same table).
 */
public final class ApiHandlerRegistry implements RequestDispatcher {
    private final Map<ApiKeys, ApiHandler> handlers;
    private final ApiVersionTable table;

    private ApiHandlerRegistry(Map<ApiKeys, ApiHandler> handlers, ApiVersionTable table) {
        this.handlers = Collections.unmodifiableMap(handlers);
        this.table = table;
    }

    /** Starts an empty registry. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ApiVersionTable versionTable() {
        return table;
    }

    /** The handler for each API. */
    public Map<ApiKeys, ApiHandler> handlers() {
        return handlers;
    }

    @Override
    public CompletableFuture<? extends ApiMessage> dispatch(KafkaRequest request) {
        ApiHandler handler = handlers.get(request.apiKey());
        if (handler == null) {
            // Cannot happen through the pipeline (the table is built from this map); kept as a clear error.
            return CompletableFuture.failedFuture(new IllegalStateException("no handler for " + request.apiKey()));
        }
        try {
            CompletableFuture<? extends ApiMessage> f = handler.handle(request);
            return f != null ? f : CompletableFuture.failedFuture(
                    new IllegalStateException(request.apiKey() + " handler returned no future"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Collects handlers; {@link #build()} derives the version table from them. */
    public static final class Builder {
        private final Map<ApiKeys, ApiHandler> handlers = new EnumMap<>(ApiKeys.class);
        private UnaryOperator<ApiVersionsResponseData> apiVersionsCustomizer = UnaryOperator.identity();

        private Builder() {
        }

        /**
         * Registers the handler of {@code api}.
         *
         * @throws IllegalArgumentException if {@code api} already has one, or is ApiVersions (built in)
         */
        public Builder register(ApiKeys api, ApiHandler handler) {
            Objects.requireNonNull(handler, "handler");
            if (api == ApiKeys.API_VERSIONS) {
                throw new IllegalArgumentException(
                        "ApiVersions is answered from the version table; use apiVersionsCustomizer to add features");
            }
            if (handlers.putIfAbsent(api, handler) != null) {
                throw new IllegalArgumentException("two handlers for " + api);
            }
            return this;
        }

        /** Adjusts every successful ApiVersions response (e.g. to add supported/finalized features). */
        public Builder apiVersionsCustomizer(UnaryOperator<ApiVersionsResponseData> customizer) {
            this.apiVersionsCustomizer = Objects.requireNonNull(customizer);
            return this;
        }

        /**
         * The dispatcher. Fails if a registered API has no range in the catalogue.
         */
        public ApiHandlerRegistry build() {
            Map<ApiKeys, ApiHandler> all = new EnumMap<>(handlers);
            all.put(ApiKeys.API_VERSIONS, null);
            ApiVersionTable table = ApiVersionTable.forApis(all.keySet());
            all.put(ApiKeys.API_VERSIONS, new ApiVersionsHandler(table, apiVersionsCustomizer));
            return new ApiHandlerRegistry(all, table);
        }
    }
}
