package io.ailurus.core.kafka.handlers;

import io.ailurus.core.group.GroupCoordinator;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/** ListGroups, with the state filter (v4+) and type filter (v5+). */
public final class ListGroupsHandler implements KafkaApiHandler<ListGroupsRequestData, ListGroupsResponseData> {
    private final GroupCoordinator groups;

    public ListGroupsHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_GROUPS;
    }

    @Override
    public CompletableFuture<ListGroupsResponseData> handle(RequestContext ctx, ListGroupsRequestData request) {
        Set<String> states = new HashSet<>(request.statesFilter());
        Set<String> types = new HashSet<>(request.typesFilter());
        return groups.listGroups(states, types).thenApply(list -> {
            ListGroupsResponseData response = new ListGroupsResponseData();
            response.groups().addAll(list);
            return response;
        });
    }
}
