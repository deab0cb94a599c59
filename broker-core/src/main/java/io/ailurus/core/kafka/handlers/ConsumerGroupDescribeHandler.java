package io.ailurus.core.kafka.handlers;

import io.ailurus.core.group.GroupCoordinator;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/** ConsumerGroupDescribe (KIP-848): epochs, assignor, members with current and target assignments. */
public final class ConsumerGroupDescribeHandler
    implements KafkaApiHandler<ConsumerGroupDescribeRequestData, ConsumerGroupDescribeResponseData> {
    private final GroupCoordinator groups;

    public ConsumerGroupDescribeHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CONSUMER_GROUP_DESCRIBE;
    }

    @Override
    public CompletableFuture<ConsumerGroupDescribeResponseData> handle(RequestContext ctx, ConsumerGroupDescribeRequestData request) {
        return groups.describeConsumerGroups(request.groupIds()).thenApply(list -> {
            ConsumerGroupDescribeResponseData response = new ConsumerGroupDescribeResponseData();
            response.groups().addAll(list);
            return response;
        });
    }
}
