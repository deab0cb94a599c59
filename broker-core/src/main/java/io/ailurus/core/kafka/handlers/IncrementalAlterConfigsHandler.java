package io.ailurus.core.kafka.handlers;

import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.topic.ConfigChanges;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** IncrementalAlterConfigs: SET/DELETE/APPEND/SUBTRACT on topic overrides or cluster properties (broker resource). */
public final class IncrementalAlterConfigsHandler
    implements KafkaApiHandler<IncrementalAlterConfigsRequestData, IncrementalAlterConfigsResponseData> {
    private final ConfigChanges changes;

    public IncrementalAlterConfigsHandler(ConfigChanges changes) {
        this.changes = changes;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INCREMENTAL_ALTER_CONFIGS;
    }

    @Override
    public CompletableFuture<IncrementalAlterConfigsResponseData> handle(RequestContext ctx, IncrementalAlterConfigsRequestData request) {
        List<CompletableFuture<AlterConfigsResourceResponse>> results = new ArrayList<>();
        for (var resource : request.resources()) {
            List<ConfigChanges.Change> list = new ArrayList<>();
            resource.configs().forEach(c -> list.add(new ConfigChanges.Change(c.name(), c.configOperation(), c.value())));
            ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
            CompletableFuture<ConfigChanges.Result> r = switch (type) {
                case TOPIC -> changes.alterTopic(resource.resourceName(), list, false, request.validateOnly());
                case BROKER -> changes.alterCluster(list, false, request.validateOnly());
                default -> CompletableFuture.completedFuture(new ConfigChanges.Result(Errors.INVALID_REQUEST,
                    "Unsupported resource type " + resource.resourceType()));
            };
            results.add(r.thenApply(res -> new AlterConfigsResourceResponse().setResourceType(resource.resourceType())
                .setResourceName(resource.resourceName()).setErrorCode(res.error().code()).setErrorMessage(res.message())));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(v -> {
            IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
            results.forEach(f -> response.responses().add(f.join()));
            return response;
        });
    }
}
