package io.ailurus.core.kafka.handlers;

import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.LeaderElections;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.partition.PartitionManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ElectLeadersResponseData.PartitionResult;
import org.apache.kafka.common.message.ElectLeadersResponseData.ReplicaElectionResult;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * ElectLeaders: preferred elections move each partition's Raft leadership to the first replica of
 * its assignment (answered once it leads, or with why not); unclean ones are answered as Raft can
 * (see {@link LeaderElections}). Without a partition list, every partition whose leader is not the
 * preferred one is elected, and only those appear in the answer (as in Kafka).
 */
public final class ElectLeadersHandler implements KafkaApiHandler<ElectLeadersRequestData, ElectLeadersResponseData> {
    private final PartitionManager partitions;

    /** @param partitions the broker's partitions; their {@link PartitionManager#leaderElections()} runs the elections */
    public ElectLeadersHandler(PartitionManager partitions) {
        this.partitions = partitions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ELECT_LEADERS;
    }

    @Override
    public CompletableFuture<ElectLeadersResponseData> handle(RequestContext ctx, ElectLeadersRequestData request) {
        LeaderElections elections = partitions.leaderElections();
        // v0 has no election type: it asks for preferred elections.
        ElectionType type = ctx.apiVersion() == 0 ? ElectionType.PREFERRED : ElectionType.valueOf(request.electionType());
        List<TopicPartition> asked = new ArrayList<>();
        if (request.topicPartitions() == null) {
            asked.addAll(elections.candidates(type));
        } else {
            for (ElectLeadersRequestData.TopicPartitions t : request.topicPartitions()) {
                t.partitions().forEach(p -> asked.add(new TopicPartition(t.topic(), p)));
            }
        }
        Map<TopicPartition, CompletableFuture<LeaderElections.Outcome>> outcomes = new LinkedHashMap<>();
        for (TopicPartition tp : asked) {
            outcomes.putIfAbsent(tp, elections.elect(type, tp));
        }
        return CompletableFuture.allOf(outcomes.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<String, ReplicaElectionResult> byTopic = new LinkedHashMap<>();
            outcomes.forEach((tp, f) -> {
                LeaderElections.Outcome o = f.join();
                byTopic.computeIfAbsent(tp.topic(), t -> new ReplicaElectionResult().setTopic(t)).partitionResult()
                    .add(new PartitionResult().setPartitionId(tp.partition()).setErrorCode(o.error().code())
                        .setErrorMessage(o.message()));
            });
            return new ElectLeadersResponseData().setReplicaElectionResults(new ArrayList<>(byTopic.values()));
        });
    }
}
