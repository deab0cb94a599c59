package io.ailurus.core.kafka.handlers;

import io.ailurus.core.group.PartitionRef;
import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.txn.TransactionCoordinator;
import io.ailurus.core.txn.TransactionMetadata;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TopicData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TransactionState;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** DescribeTransactions: each transactional id's state, producer, timeout, start time and partitions. */
public final class DescribeTransactionsHandler
    implements KafkaApiHandler<DescribeTransactionsRequestData, DescribeTransactionsResponseData> {
    private final TransactionCoordinator transactions;

    public DescribeTransactionsHandler(TransactionCoordinator transactions) {
        this.transactions = transactions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_TRANSACTIONS;
    }

    @Override
    public CompletableFuture<DescribeTransactionsResponseData> handle(RequestContext ctx, DescribeTransactionsRequestData request) {
        DescribeTransactionsResponseData response = new DescribeTransactionsResponseData();
        for (String id : request.transactionalIds()) {
            TransactionMetadata t = transactions.store().get(id);
            TransactionState out = new TransactionState().setTransactionalId(id);
            if (t == null) {
                out.setErrorCode(Errors.TRANSACTIONAL_ID_NOT_FOUND.code()).setTransactionState("")
                    .setProducerId(-1).setProducerEpoch((short) -1).setTransactionStartTimeMs(-1);
            } else {
                out.setTransactionState(t.state().kafkaName()).setTransactionTimeoutMs(t.timeoutMs())
                    .setTransactionStartTimeMs(t.startTimestamp()).setProducerId(t.producerId())
                    .setProducerEpoch(t.producerEpoch());
                for (PartitionRef p : t.partitions()) {
                    TopicData topic = out.topics().find(p.topic());
                    if (topic == null) {
                        topic = new TopicData().setTopic(p.topic());
                        out.topics().add(topic);
                    }
                    topic.partitions().add(p.partition());
                }
            }
            response.transactionStates().add(out);
        }
        return CompletableFuture.completedFuture(response);
    }
}
