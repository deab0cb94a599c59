package io.ailurus.core.kafka.handlers;

import io.ailurus.core.group.GroupCoordinator;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/** OffsetCommit: answers once the offsets are stored by the controller group (so fsynced). */
public final class OffsetCommitHandler implements KafkaApiHandler<OffsetCommitRequestData, OffsetCommitResponseData> {
    private final GroupCoordinator groups;

    public OffsetCommitHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_COMMIT;
    }

    @Override
    public CompletableFuture<OffsetCommitResponseData> handle(RequestContext ctx, OffsetCommitRequestData request) {
        return groups.commitOffsets(request, ctx.apiVersion());
    }
}
