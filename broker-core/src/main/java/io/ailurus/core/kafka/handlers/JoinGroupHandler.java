package io.ailurus.core.kafka.handlers;

import io.ailurus.core.group.GroupCoordinator;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/** JoinGroup of the classic protocol; answers when the join phase of the rebalance completes. */
public final class JoinGroupHandler implements KafkaApiHandler<JoinGroupRequestData, JoinGroupResponseData> {
    private final GroupCoordinator groups;

    public JoinGroupHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.JOIN_GROUP;
    }

    @Override
    public CompletableFuture<JoinGroupResponseData> handle(RequestContext ctx, JoinGroupRequestData request) {
        return groups.joinGroup(request, ctx.apiVersion(), ctx.clientId(), ClientHost.of(ctx)).thenApply(r -> {
            // ProtocolName is nullable on the wire only from v7: older clients (librdkafka speaks v5)
            // get "" in error answers, as Kafka sends, instead of a response that cannot be encoded.
            if (ctx.apiVersion() < 7 && r.protocolName() == null) {
                r.setProtocolName("");
            }
            return r;
        });
    }
}
