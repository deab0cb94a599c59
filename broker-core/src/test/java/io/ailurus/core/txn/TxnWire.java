package io.ailurus.core.txn;

import io.ailurus.core.testing.RawKafkaConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest;

/**
 * The transaction coordinator's APIs spoken over a raw Kafka connection at chosen versions, so tests
 * can drive the exact request a client or a broker would send (and see version-specific errors).
 */
final class TxnWire implements AutoCloseable {
    private final RawKafkaConnection conn;

    TxnWire(String bootstrap) throws IOException {
        String[] hp = bootstrap.split(":");
        conn = new RawKafkaConnection(hp[0], Integer.parseInt(hp[1]), Duration.ofSeconds(30));
    }

    private ByteBuffer call(ApiKeys api, int version, ApiMessage body) throws IOException {
        conn.sendFrame(conn.encode(api, (short) version, body));
        return conn.receive(api, (short) version);
    }

    InitProducerIdResponseData init(int version, String txnId, int timeoutMs, long pid, short epoch) throws IOException {
        InitProducerIdRequestData req = new InitProducerIdRequestData().setTransactionalId(txnId).setTransactionTimeoutMs(timeoutMs);
        if (version >= 3) {
            req.setProducerId(pid).setProducerEpoch(epoch);
        }
        return new InitProducerIdResponseData(new ByteBufferAccessor(call(ApiKeys.INIT_PRODUCER_ID, version, req)), (short) version);
    }

    InitProducerIdResponseData init(String txnId, int timeoutMs) throws IOException {
        return init(5, txnId, timeoutMs, -1, (short) -1);
    }

    /** AddPartitionsToTxn v0-3 (the client form); the error of the one partition given. */
    Errors addPartition(int version, String txnId, long pid, short epoch, String topic, int partition) throws IOException {
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnTopic().setName(topic).setPartitions(List.of(partition)));
        AddPartitionsToTxnRequestData req = new AddPartitionsToTxnRequestData().setV3AndBelowTransactionalId(txnId)
            .setV3AndBelowProducerId(pid).setV3AndBelowProducerEpoch(epoch).setV3AndBelowTopics(topics);
        AddPartitionsToTxnResponseData r = new AddPartitionsToTxnResponseData(
            new ByteBufferAccessor(call(ApiKeys.ADD_PARTITIONS_TO_TXN, version, req)), (short) version);
        return Errors.forCode(r.resultsByTopicV3AndBelow().find(topic).resultsByPartition().find(partition).partitionErrorCode());
    }

    /** AddPartitionsToTxn v5 (the broker form) with one transaction; the error of the one partition given. */
    Errors addPartitionBatched(String txnId, long pid, short epoch, String topic, int partition, boolean verifyOnly)
        throws IOException {
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnTopic().setName(topic).setPartitions(List.of(partition)));
        AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection txns =
            new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection();
        txns.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction().setTransactionalId(txnId)
            .setProducerId(pid).setProducerEpoch(epoch).setVerifyOnly(verifyOnly).setTopics(topics));
        AddPartitionsToTxnResponseData r = new AddPartitionsToTxnResponseData(
            new ByteBufferAccessor(call(ApiKeys.ADD_PARTITIONS_TO_TXN, 5, new AddPartitionsToTxnRequestData().setTransactions(txns))),
            (short) 5);
        return Errors.forCode(r.resultsByTransaction().find(txnId).topicResults().find(topic).resultsByPartition()
            .find(partition).partitionErrorCode());
    }

    Errors addOffsets(int version, String txnId, long pid, short epoch, String group) throws IOException {
        AddOffsetsToTxnRequestData req = new AddOffsetsToTxnRequestData().setTransactionalId(txnId).setProducerId(pid)
            .setProducerEpoch(epoch).setGroupId(group);
        return Errors.forCode(new AddOffsetsToTxnResponseData(
            new ByteBufferAccessor(call(ApiKeys.ADD_OFFSETS_TO_TXN, version, req)), (short) version).errorCode());
    }

    Errors txnOffsetCommit(String txnId, long pid, short epoch, String group, String topic, int partition, long offset)
        throws IOException {
        TxnOffsetCommitRequestData req = new TxnOffsetCommitRequestData().setTransactionalId(txnId).setGroupId(group)
            .setProducerId(pid).setProducerEpoch(epoch).setTopics(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic()
                .setName(topic).setPartitions(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition()
                    .setPartitionIndex(partition).setCommittedOffset(offset).setCommittedMetadata("m")))));
        TxnOffsetCommitResponseData r = new TxnOffsetCommitResponseData(
            new ByteBufferAccessor(call(ApiKeys.TXN_OFFSET_COMMIT, 3, req)), (short) 3);
        return Errors.forCode(r.topics().get(0).partitions().get(0).errorCode());
    }

    Errors endTxn(int version, String txnId, long pid, short epoch, boolean commit) throws IOException {
        EndTxnRequestData req = new EndTxnRequestData().setTransactionalId(txnId).setProducerId(pid).setProducerEpoch(epoch)
            .setCommitted(commit);
        return Errors.forCode(new EndTxnResponseData(new ByteBufferAccessor(call(ApiKeys.END_TXN, version, req)),
            (short) version).errorCode());
    }

    /** EndTxn at {@code version} with its whole answer (v5 carries the producer id and epoch to continue with). */
    EndTxnResponseData endTxnResponse(int version, String txnId, long pid, short epoch, boolean commit) throws IOException {
        EndTxnRequestData req = new EndTxnRequestData().setTransactionalId(txnId).setProducerId(pid).setProducerEpoch(epoch)
            .setCommitted(commit);
        return new EndTxnResponseData(new ByteBufferAccessor(call(ApiKeys.END_TXN, version, req)), (short) version);
    }

    /** Produce (acks=all) of one partition's records at {@code version}; the partition's error. */
    Errors produce(int version, String txnId, String topic, int partition,
                   org.apache.kafka.common.record.internal.MemoryRecords records) throws IOException {
        var topics = new org.apache.kafka.common.message.ProduceRequestData.TopicProduceDataCollection();
        topics.add(new org.apache.kafka.common.message.ProduceRequestData.TopicProduceData().setName(topic)
            .setPartitionData(List.of(new org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData()
                .setIndex(partition).setRecords(records))));
        var req = new org.apache.kafka.common.message.ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000)
            .setTransactionalId(txnId).setTopicData(topics);
        var r = new org.apache.kafka.common.message.ProduceResponseData(
            new ByteBufferAccessor(call(ApiKeys.PRODUCE, version, req)), (short) version);
        return Errors.forCode(r.responses().iterator().next().partitionResponses().getFirst().errorCode());
    }

    DescribeTransactionsResponseData.TransactionState describe(String txnId) throws IOException {
        DescribeTransactionsRequestData req = new DescribeTransactionsRequestData().setTransactionalIds(List.of(txnId));
        return new DescribeTransactionsResponseData(new ByteBufferAccessor(call(ApiKeys.DESCRIBE_TRANSACTIONS, 0, req)), (short) 0)
            .transactionStates().get(0);
    }

    /** OffsetFetch v7 (one group) for one partition: the partition's answer. */
    OffsetFetchResponseData.OffsetFetchResponsePartition fetchOffset(String group, String topic, int partition,
                                                                   boolean requireStable) throws IOException {
        OffsetFetchRequestData req = new OffsetFetchRequestData().setGroupId(group).setRequireStable(requireStable)
            .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic().setName(topic)
                .setPartitionIndexes(List.of(partition))));
        OffsetFetchResponseData r = new OffsetFetchResponseData(new ByteBufferAccessor(call(ApiKeys.OFFSET_FETCH, 7, req)), (short) 7);
        return r.topics().get(0).partitions().get(0);
    }

    FindCoordinatorResponseData.Coordinator findTransactionCoordinator(String txnId) throws IOException {
        FindCoordinatorRequestData req = new FindCoordinatorRequestData()
            .setKeyType(FindCoordinatorRequest.CoordinatorType.TRANSACTION.id()).setCoordinatorKeys(List.of(txnId));
        return new FindCoordinatorResponseData(new ByteBufferAccessor(call(ApiKeys.FIND_COORDINATOR, 4, req)), (short) 4)
            .coordinators().get(0);
    }

    @Override
    public void close() throws IOException {
        conn.close();
    }
}
