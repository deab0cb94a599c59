package io.ailurus.core.kafka.handlers;

import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.metadata.CommandResult;
import io.ailurus.core.metadata.MetadataCommand;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.TopicInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** DeleteTopics by name (all versions) or by topic id (v6+); the data goes once the deletion is applied. */
public final class DeleteTopicsHandler implements KafkaApiHandler<DeleteTopicsRequestData, DeleteTopicsResponseData> {
    private final ClusterView cluster;

    public DeleteTopicsHandler(ClusterView cluster) {
        this.cluster = cluster;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_TOPICS;
    }

    @Override
    public CompletableFuture<DeleteTopicsResponseData> handle(RequestContext ctx, DeleteTopicsRequestData request) {
        MetadataImage image = cluster.image();
        List<CompletableFuture<DeletableTopicResult>> results = new ArrayList<>();
        for (String name : request.topicNames()) {
            results.add(delete(image, name, null));
        }
        for (var t : request.topics()) {
            if (t.name() != null) {
                results.add(delete(image, t.name(), null));
            } else {
                TopicInfo byId = image.topicById(t.topicId().toString()).orElse(null);
                if (byId == null) {
                    results.add(CompletableFuture.completedFuture(new DeletableTopicResult().setTopicId(t.topicId())
                        .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()).setErrorMessage("Topic id " + t.topicId() + " does not exist.")));
                } else {
                    results.add(delete(image, byId.name(), t.topicId()));
                }
            }
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(v -> {
            DeleteTopicsResponseData response = new DeleteTopicsResponseData();
            results.forEach(f -> response.responses().add(f.join()));
            return response;
        });
    }

    private CompletableFuture<DeletableTopicResult> delete(MetadataImage image, String name, Uuid requestedId) {
        TopicInfo topic = image.topic(name).orElse(null);
        DeletableTopicResult result = new DeletableTopicResult().setName(name)
            .setTopicId(topic == null ? (requestedId == null ? Uuid.ZERO_UUID : requestedId) : Uuid.fromString(topic.topicId()));
        if (topic == null) {
            return CompletableFuture.completedFuture(result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                .setErrorMessage("This server does not host this topic-partition."));
        }
        return cluster.submit(new MetadataCommand.DeleteTopic(name)).thenApply(r -> r.isOk() ? result
            : result.setErrorCode((r.error() == CommandResult.Error.UNKNOWN_TOPIC_OR_PARTITION
                ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.INVALID_REQUEST).code()).setErrorMessage(r.message()));
    }
}
