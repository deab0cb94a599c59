package io.ailurus.core.kafka;

import io.ailurus.core.fetch.FetchSessionCache;
import io.ailurus.core.group.GroupCoordinator;
import io.ailurus.core.kafka.handlers.AddOffsetsToTxnHandler;
import io.ailurus.core.kafka.handlers.AddPartitionsToTxnHandler;
import io.ailurus.core.kafka.handlers.AlterConfigsHandler;
import io.ailurus.core.kafka.handlers.DescribeTransactionsHandler;
import io.ailurus.core.kafka.handlers.EndTxnHandler;
import io.ailurus.core.kafka.handlers.ListTransactionsHandler;
import io.ailurus.core.kafka.handlers.TxnOffsetCommitHandler;
import io.ailurus.core.txn.TransactionCoordinator;
import io.ailurus.core.txn.TransactionService;
import io.ailurus.core.kafka.handlers.ConsumerGroupDescribeHandler;
import io.ailurus.core.kafka.handlers.ConsumerGroupHeartbeatHandler;
import io.ailurus.core.kafka.handlers.DeleteGroupsHandler;
import io.ailurus.core.kafka.handlers.DescribeGroupsHandler;
import io.ailurus.core.kafka.handlers.FindCoordinatorHandler;
import io.ailurus.core.kafka.handlers.HeartbeatHandler;
import io.ailurus.core.kafka.handlers.JoinGroupHandler;
import io.ailurus.core.kafka.handlers.LeaveGroupHandler;
import io.ailurus.core.kafka.handlers.ListGroupsHandler;
import io.ailurus.core.kafka.handlers.OffsetCommitHandler;
import io.ailurus.core.kafka.handlers.OffsetDeleteHandler;
import io.ailurus.core.kafka.handlers.OffsetFetchHandler;
import io.ailurus.core.kafka.handlers.SyncGroupHandler;
import io.ailurus.core.kafka.handlers.CreatePartitionsHandler;
import io.ailurus.core.kafka.handlers.AlterPartitionReassignmentsHandler;
import io.ailurus.core.kafka.handlers.ElectLeadersHandler;
import io.ailurus.core.kafka.handlers.ListPartitionReassignmentsHandler;
import io.ailurus.core.kafka.handlers.CreateTopicsHandler;
import io.ailurus.core.kafka.handlers.DeleteRecordsHandler;
import io.ailurus.core.kafka.handlers.DescribeProducersHandler;
import io.ailurus.core.kafka.handlers.WriteTxnMarkersHandler;
import io.ailurus.core.kafka.handlers.DeleteTopicsHandler;
import io.ailurus.core.kafka.handlers.DescribeClusterHandler;
import io.ailurus.core.kafka.handlers.DescribeConfigsHandler;
import io.ailurus.core.kafka.handlers.DescribeLogDirsHandler;
import io.ailurus.core.kafka.handlers.FetchHandler;
import io.ailurus.core.kafka.handlers.IncrementalAlterConfigsHandler;
import io.ailurus.core.kafka.handlers.InitProducerIdHandler;
import io.ailurus.core.kafka.handlers.ListOffsetsHandler;
import io.ailurus.core.kafka.handlers.MetadataHandler;
import io.ailurus.core.kafka.handlers.OffsetForLeaderEpochHandler;
import io.ailurus.core.kafka.handlers.ProduceHandler;
import io.ailurus.core.partition.PartitionManager;
import io.ailurus.core.producer.ProducerIdAllocator;
import io.ailurus.core.topic.ConfigChanges;
import io.ailurus.core.topic.TopicConfigs;
import io.ailurus.core.topic.TopicCreator;
import io.ailurus.protocol.ApiHandler;
import io.ailurus.protocol.ApiHandlerRegistry;
import io.ailurus.protocol.KafkaRequest;
import io.ailurus.protocol.RequestDispatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiMessage;
import org.slf4j.LoggerFactory;

/**
 * The broker's Kafka API surface: one handler per API, registered with the protocol layer, whose
 * version table (and so the ApiVersions answer) is derived from exactly this set.
 */
public final class KafkaApis {
    private KafkaApis() {}

    public static RequestDispatcher create(ClusterView cluster, PartitionManager partitions, TopicConfigs configs,
                                           FetchSessionCache fetchSessions, int fetchMaxBytes, GroupCoordinator groups) {
        return create(cluster, partitions, configs, fetchSessions, fetchMaxBytes, groups, RequestObserver.NONE);
    }

    /** As above, with every request shown to {@code observer} (the broker's metrics). */
    public static RequestDispatcher create(ClusterView cluster, PartitionManager partitions, TopicConfigs configs,
                                           FetchSessionCache fetchSessions, int fetchMaxBytes, GroupCoordinator groups,
                                           RequestObserver observer) {
        return create(cluster, partitions, configs, fetchSessions, fetchMaxBytes, groups, null, observer);
    }

    /**
     * As above, with the transaction coordinator's APIs when {@code transactions} is not null
     * (without it, transactional ids are refused and the transaction APIs are not advertised).
     */
    public static RequestDispatcher create(ClusterView cluster, PartitionManager partitions, TopicConfigs configs,
                                           FetchSessionCache fetchSessions, int fetchMaxBytes, GroupCoordinator groups,
                                           TransactionService transactions, RequestObserver observer) {
        TopicCreator creator = new TopicCreator(cluster, configs);
        ConfigChanges changes = new ConfigChanges(cluster, configs);
        TransactionCoordinator txn = transactions == null ? null : transactions.coordinator();
        List<KafkaApiHandler<?, ?>> handlers = new ArrayList<>(List.of(
            new MetadataHandler(cluster, partitions, creator),
            new ProduceHandler(cluster, partitions),
            new FetchHandler(cluster, partitions, fetchSessions, fetchMaxBytes),
            new ListOffsetsHandler(cluster, partitions),
            new OffsetForLeaderEpochHandler(cluster, partitions),
            new DeleteRecordsHandler(cluster, partitions),
            new WriteTxnMarkersHandler(cluster, partitions),
            new DescribeProducersHandler(cluster, partitions),
            txn == null ? new InitProducerIdHandler(new ProducerIdAllocator(cluster))
                : new InitProducerIdHandler(txn.producerIds(), txn),
            new CreateTopicsHandler(cluster, creator, configs),
            new DeleteTopicsHandler(cluster),
            new CreatePartitionsHandler(cluster),
            new AlterPartitionReassignmentsHandler(cluster),
            new ListPartitionReassignmentsHandler(cluster),
            new ElectLeadersHandler(partitions),
            new DescribeClusterHandler(cluster),
            new DescribeConfigsHandler(cluster, configs),
            new AlterConfigsHandler(changes),
            new DescribeLogDirsHandler(partitions),
            new IncrementalAlterConfigsHandler(changes),
            new FindCoordinatorHandler(cluster),
            new JoinGroupHandler(groups),
            new SyncGroupHandler(groups),
            new HeartbeatHandler(groups),
            new LeaveGroupHandler(groups),
            new OffsetCommitHandler(groups),
            txn == null ? new OffsetFetchHandler(cluster, groups)
                : new OffsetFetchHandler(cluster, groups, (g, tp) -> txn.store().pendingOffsetHeld(g, tp)),
            new OffsetDeleteHandler(groups),
            new ListGroupsHandler(groups),
            new DescribeGroupsHandler(groups),
            new DeleteGroupsHandler(groups),
            new ConsumerGroupHeartbeatHandler(groups),
            new ConsumerGroupDescribeHandler(groups)));
        if (txn != null) {
            handlers.addAll(List.of(
                new AddPartitionsToTxnHandler(txn),
                new AddOffsetsToTxnHandler(txn),
                new TxnOffsetCommitHandler(cluster, txn),
                new EndTxnHandler(txn),
                new DescribeTransactionsHandler(txn),
                new ListTransactionsHandler(txn)));
        }
        ApiHandlerRegistry.Builder registry = ApiHandlerRegistry.builder();
        if (txn != null) {
            registry.apiVersionsCustomizer(KafkaFeatures::addTo);
        }
        for (KafkaApiHandler<?, ?> h : handlers) {
            registry.register(h.apiKey(), adapt(h, observer));
        }
        return registry.build();
    }

    private static <Q extends ApiMessage, R extends ApiMessage> ApiHandler adapt(KafkaApiHandler<Q, R> handler,
                                                                             RequestObserver observer) {
        return (KafkaRequest request) -> {
            RequestContext ctx = new RequestContext(request.apiVersion(), request.correlationId(), request.clientId(),
                request.remoteAddress(), request.context().executor(), request.arrivalNanos());
            @SuppressWarnings("unchecked")
            Q body = (Q) request.body();
            RequestObserver.Observation seen = observer.start(handler.apiKey(), body);
            CompletableFuture<R> answer = handler.handle(ctx, body);
            return seen == null ? answer : observed(answer, seen);
        };
    }

    /**
     * A future that completes after {@code seen} has been told the outcome: the protocol layer
     * chains on the returned future, so the observer runs before the response is written.
     */
    private static <R extends ApiMessage> CompletableFuture<R> observed(CompletableFuture<R> answer,
                                                                        RequestObserver.Observation seen) {
        CompletableFuture<R> out = new CompletableFuture<>();
        answer.whenComplete((response, error) -> {
            try {
                if (error == null) {
                    seen.completed(response);
                } else {
                    seen.failed(error);
                }
            } catch (RuntimeException bug) {
                // Metrics must never cost a client its answer.
                LoggerFactory.getLogger(KafkaApis.class).warn("request observer failed", bug);
            }
            if (error == null) {
                out.complete(response);
            } else {
                out.completeExceptionally(error);
            }
        });
        return out;
    }
}
