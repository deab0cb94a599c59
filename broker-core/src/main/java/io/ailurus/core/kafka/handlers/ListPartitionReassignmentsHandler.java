package io.ailurus.core.kafka.handlers;

import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.PartitionReassignment;
import io.ailurus.core.metadata.TopicInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData.ListPartitionReassignmentsTopics;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingPartitionReassignment;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingTopicReassignment;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * ListPartitionReassignments: the moves in progress as the controller records them, all or those
 * of the partitions asked for. Partitions that are not moving (or do not exist) are left out.
 */
public final class ListPartitionReassignmentsHandler
    implements KafkaApiHandler<ListPartitionReassignmentsRequestData, ListPartitionReassignmentsResponseData> {
    private final ClusterView cluster;

    public ListPartitionReassignmentsHandler(ClusterView cluster) {
        this.cluster = cluster;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_PARTITION_REASSIGNMENTS;
    }

    @Override
    public CompletableFuture<ListPartitionReassignmentsResponseData> handle(RequestContext ctx,
                                                                            ListPartitionReassignmentsRequestData request) {
        MetadataImage image = cluster.image();
        Map<String, List<Integer>> wanted = new TreeMap<>();
        if (request.topics() == null) {
            image.reassignments().forEach((topic, moves) -> wanted.put(topic, moves.keySet().stream().sorted().toList()));
        } else {
            for (ListPartitionReassignmentsTopics t : request.topics()) {
                wanted.computeIfAbsent(t.name(), n -> new ArrayList<>()).addAll(t.partitionIndexes());
            }
        }
        ListPartitionReassignmentsResponseData response = new ListPartitionReassignmentsResponseData();
        wanted.forEach((name, partitions) -> {
            TopicInfo topic = image.topic(name).orElse(null);
            if (topic == null) {
                return;
            }
            OngoingTopicReassignment out = new OngoingTopicReassignment().setName(name);
            for (int p : partitions.stream().distinct().sorted().toList()) {
                PartitionReassignment move = image.reassignment(name, p);
                if (move == null || p >= topic.partitionCount()) {
                    continue;
                }
                List<Integer> replicas = topic.replicas(p);
                out.partitions().add(new OngoingPartitionReassignment().setPartitionIndex(p)
                    .setReplicas(new ArrayList<>(replicas))
                    .setAddingReplicas(new ArrayList<>(move.adding()))
                    .setRemovingReplicas(new ArrayList<>(move.removing(replicas))));
            }
            if (!out.partitions().isEmpty()) {
                response.topics().add(out);
            }
        });
        return CompletableFuture.completedFuture(response);
    }
}
