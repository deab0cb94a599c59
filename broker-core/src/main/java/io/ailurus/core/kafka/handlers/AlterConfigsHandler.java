package io.ailurus.core.kafka.handlers;

import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.topic.ConfigChanges;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** AlterConfigs (the legacy, replace-everything form): the given values become the resource's whole set of overrides. */
public final class AlterConfigsHandler implements KafkaApiHandler<AlterConfigsRequestData, AlterConfigsResponseData> {
    private final ConfigChanges changes;

    public AlterConfigsHandler(ConfigChanges changes) {
        this.changes = changes;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_CONFIGS;
    }

    @Override
    public CompletableFuture<AlterConfigsResponseData> handle(RequestContext ctx, AlterConfigsRequestData request) {
        List<CompletableFuture<AlterConfigsResourceResponse>> results = new ArrayList<>();
        for (var resource : request.resources()) {
            List<ConfigChanges.Change> list = new ArrayList<>();
            resource.configs().forEach(c -> list.add(new ConfigChanges.Change(c.name(), ConfigChanges.Change.SET, c.value())));
            ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
            CompletableFuture<ConfigChanges.Result> r = switch (type) {
                case TOPIC -> changes.alterTopic(resource.resourceName(), list, true, request.validateOnly());
                case BROKER -> changes.alterCluster(list, true, request.validateOnly());
                default -> CompletableFuture.completedFuture(new ConfigChanges.Result(Errors.INVALID_REQUEST,
                    "Unsupported resource type " + resource.resourceType()));
            };
            results.add(r.thenApply(res -> new AlterConfigsResourceResponse().setResourceType(resource.resourceType())
                .setResourceName(resource.resourceName()).setErrorCode(res.error().code()).setErrorMessage(res.message())));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(v -> {
            AlterConfigsResponseData response = new AlterConfigsResponseData();
            results.forEach(f -> response.responses().add(f.join()));
            return response;
        });
    }
}
