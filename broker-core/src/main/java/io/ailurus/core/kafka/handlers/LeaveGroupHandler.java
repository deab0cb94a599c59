package io.ailurus.core.kafka.handlers;

import io.ailurus.core.group.GroupCoordinator;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/** LeaveGroup (v3+ batched members, by member id or group.instance.id). */
public final class LeaveGroupHandler implements KafkaApiHandler<LeaveGroupRequestData, LeaveGroupResponseData> {
    private final GroupCoordinator groups;

    public LeaveGroupHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LEAVE_GROUP;
    }

    @Override
    public CompletableFuture<LeaveGroupResponseData> handle(RequestContext ctx, LeaveGroupRequestData request) {
        return groups.leaveGroup(request, ctx.apiVersion());
    }
}
