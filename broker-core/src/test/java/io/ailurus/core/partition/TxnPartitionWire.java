package io.ailurus.core.partition;

import io.ailurus.core.testing.Clients;
import io.ailurus.core.testing.RawKafkaConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * The partition side of transactions spoken over a raw Kafka connection: transactional Produce
 * requests with chosen producer ids, WriteTxnMarkers as the coordinator sends it, ListOffsets under an
 * isolation level, DescribeProducers.
 */
public final class TxnPartitionWire implements AutoCloseable {
    private static final short PRODUCE_VERSION = 12;      // the last version that names topics
    private static final short MARKERS_VERSION = 1;
    private static final short LIST_OFFSETS_VERSION = 7;
    private static final short DESCRIBE_PRODUCERS_VERSION = 0;

    private final RawKafkaConnection conn;

    public TxnPartitionWire(String bootstrap) throws IOException {
        String[] hp = bootstrap.split(":");
        conn = new RawKafkaConnection(hp[0], Integer.parseInt(hp[1]), Duration.ofSeconds(30));
    }

    private ByteBuffer call(ApiKeys api, short version, ApiMessage body) throws IOException {
        conn.sendFrame(conn.encode(api, version, body));
        return conn.receive(api, version);
    }

    public static SimpleRecord[] values(String... values) {
        SimpleRecord[] out = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = new SimpleRecord(System.currentTimeMillis(), null, values[i].getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    public static MemoryRecords transactional(long pid, short epoch, int baseSequence, String... values) {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, pid, epoch, baseSequence, values(values));
    }

    public static MemoryRecords idempotent(long pid, short epoch, int baseSequence, String... values) {
        return MemoryRecords.withIdempotentRecords(Compression.NONE, pid, epoch, baseSequence, values(values));
    }

    public static MemoryRecords plain(String... values) {
        return MemoryRecords.withRecords(Compression.NONE, values(values));
    }

    /** Produce (acks=all) of one partition's records; the partition's error. */
    public Errors produce(String transactionalId, String topic, int partition, MemoryRecords records) throws IOException {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName(topic).setPartitionData(List.of(
            new ProduceRequestData.PartitionProduceData().setIndex(partition).setRecords(records))));
        ProduceRequestData req = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000)
            .setTransactionalId(transactionalId).setTopicData(topics);
        ProduceResponseData r = new ProduceResponseData(new ByteBufferAccessor(call(ApiKeys.PRODUCE, PRODUCE_VERSION, req)),
            PRODUCE_VERSION);
        return Errors.forCode(r.responses().iterator().next().partitionResponses().getFirst().errorCode());
    }

    /** WriteTxnMarkers for one producer on {@code partitions} of {@code topic}; each partition's error. */
    public Map<Integer, Errors> writeMarker(long pid, short epoch, boolean commit, int coordinatorEpoch, String topic,
                                     int... partitions) throws IOException {
        List<Integer> indexes = java.util.Arrays.stream(partitions).boxed().toList();
        WriteTxnMarkersRequestData req = new WriteTxnMarkersRequestData().setMarkers(List.of(
            new WriteTxnMarkersRequestData.WritableTxnMarker().setProducerId(pid).setProducerEpoch(epoch)
                .setTransactionResult(commit).setCoordinatorEpoch(coordinatorEpoch)
                .setTopics(List.of(new WriteTxnMarkersRequestData.WritableTxnMarkerTopic().setName(topic)
                    .setPartitionIndexes(indexes)))));
        WriteTxnMarkersResponseData r = new WriteTxnMarkersResponseData(
            new ByteBufferAccessor(call(ApiKeys.WRITE_TXN_MARKERS, MARKERS_VERSION, req)), MARKERS_VERSION);
        Map<Integer, Errors> out = new LinkedHashMap<>();
        for (var p : r.markers().getFirst().topics().getFirst().partitions()) {
            out.put(p.partitionIndex(), Errors.forCode(p.errorCode()));
        }
        return out;
    }

    /** ListOffsets LATEST under {@code isolation}: the high watermark, or the last stable offset. */
    public long latestOffset(String topic, int partition, IsolationLevel isolation) throws IOException {
        ListOffsetsRequestData req = new ListOffsetsRequestData().setReplicaId(-1).setIsolationLevel(isolation.id())
            .setTopics(List.of(new ListOffsetsRequestData.ListOffsetsTopic().setName(topic).setPartitions(List.of(
                new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(partition).setTimestamp(-1)))));
        ListOffsetsResponseData r = new ListOffsetsResponseData(
            new ByteBufferAccessor(call(ApiKeys.LIST_OFFSETS, LIST_OFFSETS_VERSION, req)), LIST_OFFSETS_VERSION);
        var p = r.topics().getFirst().partitions().getFirst();
        if (p.errorCode() != 0) {
            throw new AssertionError("ListOffsets " + topic + "-" + partition + ": " + Errors.forCode(p.errorCode()));
        }
        return p.offset();
    }

    public DescribeProducersResponseData.PartitionResponse describeProducers(String topic, int partition) throws IOException {
        DescribeProducersRequestData req = new DescribeProducersRequestData().setTopics(List.of(
            new DescribeProducersRequestData.TopicRequest().setName(topic).setPartitionIndexes(List.of(partition))));
        DescribeProducersResponseData r = new DescribeProducersResponseData(
            new ByteBufferAccessor(call(ApiKeys.DESCRIBE_PRODUCERS, DESCRIBE_PRODUCERS_VERSION, req)),
            DESCRIBE_PRODUCERS_VERSION);
        return r.topics().getFirst().partitions().getFirst();
    }

    /**
     * Every value readable under {@code isolation} ("read_committed"/"read_uncommitted") from the start of
     * {@code partitions} of {@code topic} up to the end offsets a consumer of that isolation sees (the last
     * stable offset, or the high watermark), partition by partition, bounded by {@code limit}.
     */
    public static List<String> readValues(String bootstrap, String topic, String isolation, Duration limit, int... partitions) {
        List<TopicPartition> tps = new ArrayList<>();
        for (int p : partitions) {
            tps.add(new TopicPartition(topic, p));
        }
        try (KafkaConsumer<byte[], byte[]> c = Clients.consumer(bootstrap, Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation))) {
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            c.assign(tps);
            c.seekToBeginning(tps);
            List<String> out = new ArrayList<>();
            long deadline = System.nanoTime() + limit.toNanos();
            for (TopicPartition tp : tps) {
                c.pause(tps.stream().filter(t -> !t.equals(tp)).toList());
                c.resume(List.of(tp));
                while (c.position(tp) < end.get(tp)) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("could not read " + tp + " up to " + end.get(tp) + " (" + isolation + ")");
                    }
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                        if (r.offset() < end.get(tp)) {
                            out.add(new String(r.value(), StandardCharsets.UTF_8));
                        }
                    }
                }
            }
            return out;
        }
    }

    @Override
    public void close() throws IOException {
        conn.close();
    }
}
