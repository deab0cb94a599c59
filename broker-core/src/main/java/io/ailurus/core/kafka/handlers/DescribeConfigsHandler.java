package io.ailurus.core.kafka.handlers;

import io.ailurus.core.config.ClusterConfig;
import io.ailurus.core.config.ConfigKey;
import io.ailurus.core.config.ConfigRegistry;
import io.ailurus.core.config.ConfigSection;
import io.ailurus.core.config.DescribedConfig;
import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.TopicInfo;
import io.ailurus.core.topic.TopicConfigs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeConfigs: a topic's effective configs (overrides, then the cluster-derived defaults, with
 * synonyms) or, for a broker resource, the cluster properties in force on this cluster.
 */
public final class DescribeConfigsHandler implements KafkaApiHandler<DescribeConfigsRequestData, DescribeConfigsResponseData> {
    private final ClusterView cluster;
    private final TopicConfigs configs;

    public DescribeConfigsHandler(ClusterView cluster, TopicConfigs configs) {
        this.cluster = cluster;
        this.configs = configs;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CONFIGS;
    }

    @Override
    public CompletableFuture<DescribeConfigsResponseData> handle(RequestContext ctx, DescribeConfigsRequestData request) {
        MetadataImage image = cluster.image();
        DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        for (var resource : request.resources()) {
            DescribeConfigsResult result = new DescribeConfigsResult()
                .setResourceType(resource.resourceType()).setResourceName(resource.resourceName());
            response.results().add(result);
            ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
            List<DescribedConfig> described;
            if (type == ConfigResource.Type.TOPIC) {
                TopicInfo topic = image.topic(resource.resourceName()).orElse(null);
                if (topic == null) {
                    result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                        .setErrorMessage("Topic '" + resource.resourceName() + "' does not exist.");
                    continue;
                }
                described = configs.describe(topic.configs(), image);
            } else if (type == ConfigResource.Type.BROKER) {
                String name = resource.resourceName();
                if (!name.isEmpty() && !name.equals(Integer.toString(cluster.nodeId()))
                    && !image.brokers().containsKey(parseOrMinus(name))) {
                    result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("Unknown broker " + name);
                    continue;
                }
                described = describeCluster(configs.cluster(image));
            } else if (type == ConfigResource.Type.BROKER_LOGGER) {
                described = List.of();
            } else {
                result.setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage("Unsupported resource type " + resource.resourceType());
                continue;
            }
            for (DescribedConfig c : described) {
                if (resource.configurationKeys() != null && !resource.configurationKeys().contains(c.name())) {
                    continue;
                }
                DescribeConfigsResourceResult entry = new DescribeConfigsResourceResult()
                    .setName(c.name()).setValue(c.value()).setReadOnly(c.readOnly())
                    .setConfigSource(c.source().kafkaId()).setIsSensitive(c.sensitive())
                    .setConfigType(c.type().id())
                    .setDocumentation(request.includeDocumentation() ? c.documentation() : null);
                if (request.includeSynonyms()) {
                    for (var s : c.synonyms()) {
                        entry.synonyms().add(new DescribeConfigsSynonym().setName(s.name()).setValue(s.value())
                            .setSource(s.source().kafkaId()));
                    }
                }
                result.configs().add(entry);
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private static int parseOrMinus(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Cluster properties by their Redpanda names, as Redpanda's DescribeConfigs on a broker shows them. */
    static List<DescribedConfig> describeCluster(ClusterConfig config) {
        List<DescribedConfig> out = new ArrayList<>();
        for (ConfigKey<?> key : ConfigRegistry.section(ConfigSection.CLUSTER)) {
            Object value = config.get(key);
            String text = value == null ? null : key.format(value);
            out.add(new DescribedConfig(key.name(), text, config.source(key), false, false,
                key.type().kafkaType(), key.doc(),
                List.of(new DescribedConfig.Synonym(key.name(), text, config.source(key)))));
        }
        return out;
    }
}
