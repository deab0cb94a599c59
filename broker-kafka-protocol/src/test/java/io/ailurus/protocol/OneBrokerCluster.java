package io.ailurus.protocol;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * Test handlers for a fixed one-broker cluster whose only broker is the test server itself. Topics asked
 * for by name are reported as unknown: the protocol tests need the cluster, not topics.
 */
final class OneBrokerCluster {
    static final int NODE_ID = 1;
    static final String CLUSTER_ID = "ailurus-protocol-test";

    /** Set once the server is bound (the port is ephemeral). */
    final AtomicInteger port = new AtomicInteger();

    ApiHandler metadata() {
        return request -> {
            MetadataRequestData req = request.body(MetadataRequestData.class);
            MetadataResponseData resp = new MetadataResponseData().setClusterId(CLUSTER_ID).setControllerId(NODE_ID);
            resp.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                    .setNodeId(NODE_ID).setHost("127.0.0.1").setPort(port.get()));
            if (req.topics() != null) {
                for (MetadataRequestData.MetadataRequestTopic t : req.topics()) {
                    resp.topics().add(new MetadataResponseData.MetadataResponseTopic()
                            .setName(t.name()).setTopicId(t.topicId())
                            .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
                }
            }
            return CompletableFuture.completedFuture(resp);
        };
    }

    /** A registry with Metadata and whatever else the test adds. */
    ApiHandlerRegistry.Builder registry() {
        return ApiHandlerRegistry.builder().register(ApiKeys.METADATA, metadata());
    }
}
