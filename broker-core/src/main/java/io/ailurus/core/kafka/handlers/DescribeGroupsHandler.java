package io.ailurus.core.kafka.handlers;

import io.ailurus.core.group.GroupCoordinator;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/** DescribeGroups: state, protocol and members with their metadata and assignments. */
public final class DescribeGroupsHandler implements KafkaApiHandler<DescribeGroupsRequestData, DescribeGroupsResponseData> {
    private final GroupCoordinator groups;

    public DescribeGroupsHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_GROUPS;
    }

    @Override
    public CompletableFuture<DescribeGroupsResponseData> handle(RequestContext ctx, DescribeGroupsRequestData request) {
        return groups.describeGroups(request.groups(), ctx.apiVersion()).thenApply(list -> {
            DescribeGroupsResponseData response = new DescribeGroupsResponseData();
            response.groups().addAll(list);
            return response;
        });
    }
}
