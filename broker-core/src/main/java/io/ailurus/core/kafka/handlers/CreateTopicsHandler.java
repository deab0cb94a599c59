package io.ailurus.core.kafka.handlers;

import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.topic.TopicConfigs;
import io.ailurus.core.topic.TopicCreator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** CreateTopics: validates each topic and proposes it to the controller; answers once applied. */
public final class CreateTopicsHandler implements KafkaApiHandler<CreateTopicsRequestData, CreateTopicsResponseData> {
    private final ClusterView cluster;
    private final TopicCreator creator;
    private final TopicConfigs configs;

    public CreateTopicsHandler(ClusterView cluster, TopicCreator creator, TopicConfigs configs) {
        this.cluster = cluster;
        this.creator = creator;
        this.configs = configs;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_TOPICS;
    }

    @Override
    public CompletableFuture<CreateTopicsResponseData> handle(RequestContext ctx, CreateTopicsRequestData request) {
        Set<String> seen = new HashSet<>();
        Set<String> duplicated = new HashSet<>();
        for (CreatableTopic t : request.topics()) {
            if (!seen.add(t.name())) {
                duplicated.add(t.name());
            }
        }
        List<CompletableFuture<CreatableTopicResult>> results = new ArrayList<>();
        for (CreatableTopic t : request.topics()) {
            if (duplicated.contains(t.name())) {
                results.add(CompletableFuture.completedFuture(new CreatableTopicResult().setName(t.name())
                    .setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage("Create topics request from client `" + ctx.clientId()
                        + "` contains multiple entries for the following topics: " + t.name())));
                continue;
            }
            results.add(create(t, request.validateOnly(), ctx.apiVersion()));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(v -> {
            CreateTopicsResponseData response = new CreateTopicsResponseData();
            results.forEach(f -> response.topics().add(f.join()));
            return response;
        });
    }

    private CompletableFuture<CreatableTopicResult> create(CreatableTopic t, boolean validateOnly, short version) {
        Map<String, String> topicConfigs = new HashMap<>();
        t.configs().forEach(c -> topicConfigs.put(c.name(), c.value()));
        List<List<Integer>> assignments = null;
        if (!t.assignments().isEmpty()) {
            assignments = new ArrayList<>();
            var sorted = new ArrayList<>(t.assignments());
            sorted.sort((a, b) -> Integer.compare(a.partitionIndex(), b.partitionIndex()));
            for (int i = 0; i < sorted.size(); i++) {
                if (sorted.get(i).partitionIndex() != i) {
                    return CompletableFuture.completedFuture(new CreatableTopicResult().setName(t.name())
                        .setErrorCode(Errors.INVALID_REPLICA_ASSIGNMENT.code())
                        .setErrorMessage("Partitions should be a consecutive 0-based integer sequence"));
                }
                assignments.add(List.copyOf(sorted.get(i).brokerIds()));
            }
        }
        return creator.create(t.name(), t.numPartitions(), t.replicationFactor(), assignments, topicConfigs, validateOnly)
            .thenApply(o -> {
                CreatableTopicResult r = new CreatableTopicResult().setName(o.name())
                    .setErrorCode(o.error().code()).setErrorMessage(o.message());
                if (o.error() == Errors.NONE) {
                    r.setTopicId(Uuid.fromString(o.topicId()))
                        .setNumPartitions(o.partitions())
                        .setReplicationFactor((short) o.replicationFactor());
                    if (version >= 5) {
                        for (var c : configs.describe(topicConfigs, cluster.image())) {
                            r.configs().add(new CreatableTopicConfigs().setName(c.name()).setValue(c.value())
                                .setReadOnly(c.readOnly()).setConfigSource(c.source().kafkaId()).setIsSensitive(c.sensitive()));
                        }
                    }
                }
                return r;
            });
    }
}
