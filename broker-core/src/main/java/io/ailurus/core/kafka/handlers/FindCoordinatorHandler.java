package io.ailurus.core.kafka.handlers;

import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.metadata.BrokerInfo;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest;

/**
 * FindCoordinator (v0-3 one key, v4+ batched keys): every group and every transactional id is
 * coordinated by the broker asked, since their state lives in the controller group that every
 * broker replicates (docs/transactions.md says why).
 */
public final class FindCoordinatorHandler implements KafkaApiHandler<FindCoordinatorRequestData, FindCoordinatorResponseData> {
    private final ClusterView cluster;

    public FindCoordinatorHandler(ClusterView cluster) {
        this.cluster = cluster;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FIND_COORDINATOR;
    }

    @Override
    public CompletableFuture<FindCoordinatorResponseData> handle(RequestContext ctx, FindCoordinatorRequestData request) {
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        List<String> keys = ctx.apiVersion() >= 4 ? request.coordinatorKeys() : List.of(request.key());
        for (String key : keys) {
            response.coordinators().add(find(key, request.keyType()));
        }
        if (ctx.apiVersion() < 4) {
            Coordinator c = response.coordinators().get(0);
            response.setErrorCode(c.errorCode()).setErrorMessage(c.errorMessage())
                .setNodeId(c.nodeId()).setHost(c.host()).setPort(c.port());
            response.coordinators().clear();
        }
        return CompletableFuture.completedFuture(response);
    }

    private Coordinator find(String key, byte keyType) {
        Coordinator c = new Coordinator().setKey(key).setNodeId(-1).setHost("").setPort(-1);
        boolean transaction = keyType == FindCoordinatorRequest.CoordinatorType.TRANSACTION.id();
        if (keyType != FindCoordinatorRequest.CoordinatorType.GROUP.id() && !transaction) {
            return c.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("unknown coordinator key type " + keyType);
        }
        if (key == null || key.isEmpty()) {
            return c.setErrorCode(Errors.INVALID_REQUEST.code())
                .setErrorMessage(transaction ? "the transactional id is empty" : "the group id is empty");
        }
        BrokerInfo self = cluster.image().brokers().get(cluster.nodeId());
        if (self == null) {
            return c.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()).setErrorMessage("the broker is still starting");
        }
        return c.setErrorCode(Errors.NONE.code()).setNodeId(self.nodeId()).setHost(self.host()).setPort(self.port());
    }
}
