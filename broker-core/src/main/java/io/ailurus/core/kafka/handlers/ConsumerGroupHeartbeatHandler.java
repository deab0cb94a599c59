package io.ailurus.core.kafka.handlers;

import io.ailurus.core.group.GroupCoordinator;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/** ConsumerGroupHeartbeat (KIP-848): join, leave, heartbeat and assignment in one request. */
public final class ConsumerGroupHeartbeatHandler implements KafkaApiHandler<ConsumerGroupHeartbeatRequestData, ConsumerGroupHeartbeatResponseData> {
    private final GroupCoordinator groups;

    public ConsumerGroupHeartbeatHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CONSUMER_GROUP_HEARTBEAT;
    }

    @Override
    public CompletableFuture<ConsumerGroupHeartbeatResponseData> handle(RequestContext ctx, ConsumerGroupHeartbeatRequestData request) {
        return groups.consumerGroupHeartbeat(request, ctx.clientId(), ClientHost.of(ctx));
    }
}
