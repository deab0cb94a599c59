package io.ailurus.core.kafka.handlers;

import io.ailurus.core.group.GroupCoordinator;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/** OffsetDelete: removes a group's offsets for topics none of its members subscribes to. */
public final class OffsetDeleteHandler implements KafkaApiHandler<OffsetDeleteRequestData, OffsetDeleteResponseData> {
    private final GroupCoordinator groups;

    public OffsetDeleteHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_DELETE;
    }

    @Override
    public CompletableFuture<OffsetDeleteResponseData> handle(RequestContext ctx, OffsetDeleteRequestData request) {
        return groups.deleteOffsets(request);
    }
}
