package io.ailurus.core.kafka.handlers;

import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.metadata.BrokerInfo;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** DescribeCluster (Admin.describeCluster): cluster id, controller and the registered brokers. */
public final class DescribeClusterHandler
    implements KafkaApiHandler<DescribeClusterRequestData, DescribeClusterResponseData> {
    /** endpointType 1 = brokers (the only listeners Ailurus exposes over Kafka). */
    private static final byte BROKER_ENDPOINTS = 1;
    private final ClusterView cluster;

    public DescribeClusterHandler(ClusterView cluster) {
        this.cluster = cluster;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CLUSTER;
    }

    @Override
    public CompletableFuture<DescribeClusterResponseData> handle(RequestContext ctx, DescribeClusterRequestData request) {
        DescribeClusterResponseData response = new DescribeClusterResponseData()
            .setClusterId(cluster.clusterId())
            .setControllerId(cluster.controllerId())
            .setEndpointType(BROKER_ENDPOINTS);
        if (request.endpointType() != BROKER_ENDPOINTS) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.UNSUPPORTED_ENDPOINT_TYPE.code())
                .setErrorMessage("Ailurus serves only broker endpoints (endpointType 1)"));
        }
        for (BrokerInfo b : cluster.image().brokers().values()) {
            response.brokers().add(new DescribeClusterResponseData.DescribeClusterBroker()
                .setBrokerId(b.nodeId()).setHost(b.host()).setPort(b.port()).setRack(b.rack()));
        }
        return CompletableFuture.completedFuture(response);
    }
}
