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
    /** Single-partition topics led by this broker; others are reported unknown. */
    final java.util.Map<String, org.apache.kafka.common.Uuid> topics = new java.util.concurrent.ConcurrentHashMap<>();

    ApiHandler metadata() {
        return request -> {
            MetadataRequestData req = request.body(MetadataRequestData.class);
            MetadataResponseData resp = new MetadataResponseData().setClusterId(CLUSTER_ID).setControllerId(NODE_ID);
            resp.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                    .setNodeId(NODE_ID).setHost("127.0.0.1").setPort(port.get()));
            java.util.List<String> names = req.topics() == null
                    ? java.util.List.copyOf(topics.keySet())
                    : req.topics().stream().map(MetadataRequestData.MetadataRequestTopic::name).toList();
            for (String name : names) {
                org.apache.kafka.common.Uuid id = topics.get(name);
                MetadataResponseData.MetadataResponseTopic t = new MetadataResponseData.MetadataResponseTopic()
                        .setName(name);
                if (id == null) {
                    t.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                } else {
                    t.setTopicId(id).partitions().add(new MetadataResponseData.MetadataResponsePartition()
                            .setPartitionIndex(0).setLeaderId(NODE_ID).setLeaderEpoch(-1)
                            .setReplicaNodes(java.util.List.of(NODE_ID)).setIsrNodes(java.util.List.of(NODE_ID)));
                }
                resp.topics().add(t);
            }
            return CompletableFuture.completedFuture(resp);
        };
    }

    /** A registry with Metadata and whatever else the test adds. */
    ApiHandlerRegistry.Builder registry() {
        return ApiHandlerRegistry.builder().register(ApiKeys.METADATA, metadata());
    }
}
