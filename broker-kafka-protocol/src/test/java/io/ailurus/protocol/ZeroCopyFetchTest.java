package io.ailurus.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.protocol.records.BufferSlice;
import io.ailurus.protocol.records.FileSlice;
import io.ailurus.protocol.records.RecordSlice;
import io.ailurus.protocol.records.SlicedRecords;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetch responses whose records come from a segment file as {@link FileSlice}s (sent as file regions)
 * are byte-identical to the same responses built in memory by kafka-clients, and Kafka's client reads them.
 */
class ZeroCopyFetchTest {
    private static final String TOPIC = "zc";
    private static final Uuid TOPIC_ID = Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAQ");
    private static final int FILE_OFFSET = 123; // records do not start at 0, as in a real segment
    private static final long HIGH_WATERMARK = 9;

    enum Mode { FILE, MIXED }

    @TempDir
    Path dir;
    private FileChannel segment;
    private byte[] recordBytes;
    private int firstBatchBytes;
    private final AtomicInteger fileReleases = new AtomicInteger();
    private final AtomicInteger fileSlicesSent = new AtomicInteger();
    private volatile Mode mode = Mode.FILE;
    private final OneBrokerCluster cluster = new OneBrokerCluster();
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        // Three batches (offsets 0-2, 3-5, 6-8), one compressed, written after some unrelated bytes.
        ByteBuffer buf = ByteBuffer.allocate(4096);
        for (int b = 0; b < 3; b++) {
            MemoryRecordsBuilder builder = MemoryRecords.builder(buf, RecordBatch.CURRENT_MAGIC_VALUE,
                    b == 1 ? Compression.gzip().build() : Compression.NONE, TimestampType.CREATE_TIME, 3L * b);
            for (int i = 0; i < 3; i++) {
                long offset = 3L * b + i;
                builder.append(1000 + offset, ("k" + offset).getBytes(), ("value-" + offset).getBytes());
            }
            builder.close();
            if (b == 0) {
                firstBatchBytes = buf.position();
            }
        }
        buf.flip();
        recordBytes = new byte[buf.remaining()];
        buf.get(recordBytes);
        segment = FileChannel.open(dir.resolve("00000000000000000000.log"),
                StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        segment.write(ByteBuffer.wrap(new byte[FILE_OFFSET]), 0);
        segment.write(ByteBuffer.wrap(recordBytes), FILE_OFFSET);
        segment.force(true);

        cluster.topics.put(TOPIC, TOPIC_ID);
        ApiHandlerRegistry registry = cluster.registry().register(ApiKeys.FETCH, this::fetch).build();
        server = new TestServer(ProtocolConfig.defaults(), registry);
        cluster.port.set(server.port());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        segment.close();
    }

    /** The test's Fetch handler: everything from the requested offset's batch on, from the file. */
    private CompletableFuture<FetchResponseData> fetch(KafkaRequest request) {
        FetchRequestData req = request.body(FetchRequestData.class);
        FetchResponseData resp = new FetchResponseData();
        for (FetchRequestData.FetchTopic t : req.topics()) {
            FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse()
                    .setTopic(t.topic()).setTopicId(t.topicId());
            for (FetchRequestData.FetchPartition p : t.partitions()) {
                BaseRecords records = p.fetchOffset() >= HIGH_WATERMARK ? MemoryRecords.EMPTY : slices();
                topic.partitions().add(new FetchResponseData.PartitionData().setPartitionIndex(p.partition())
                        .setHighWatermark(HIGH_WATERMARK).setLastStableOffset(HIGH_WATERMARK).setLogStartOffset(0)
                        .setRecords(records));
            }
            resp.responses().add(topic);
        }
        return CompletableFuture.completedFuture(resp);
    }

    private SlicedRecords slices() {
        List<RecordSlice> slices = new ArrayList<>();
        if (mode == Mode.MIXED) {
            // Hot batch from memory, the rest from the file.
            ByteBuf hot = PooledByteBufAllocator.DEFAULT.directBuffer(firstBatchBytes);
            hot.writeBytes(recordBytes, 0, firstBatchBytes);
            slices.add(new BufferSlice(hot));
            slices.add(fileSlice(FILE_OFFSET + firstBatchBytes, recordBytes.length - firstBatchBytes));
        } else {
            slices.add(fileSlice(FILE_OFFSET, recordBytes.length));
        }
        return new SlicedRecords(slices);
    }

    private FileSlice fileSlice(long position, int length) {
        fileSlicesSent.incrementAndGet();
        return new FileSlice(segment, position, length, fileReleases::incrementAndGet);
    }

    private static FetchRequestData request(short version) {
        FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic();
        if (version >= 13) {
            topic.setTopicId(TOPIC_ID);
        } else {
            topic.setTopic(TOPIC);
        }
        topic.partitions().add(new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0)
                .setPartitionMaxBytes(1 << 20));
        return new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20)
                .setTopics(new ArrayList<>(List.of(topic)));
    }

    /** The frame kafka-clients itself would send for the same response with in-memory records. */
    private byte[] expectedFrame(short version, int correlationId) {
        FetchResponseData expected = new FetchResponseData();
        FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse();
        if (version >= 13) {
            topic.setTopicId(TOPIC_ID);
        } else {
            topic.setTopic(TOPIC);
        }
        topic.partitions().add(new FetchResponseData.PartitionData().setPartitionIndex(0)
                .setHighWatermark(HIGH_WATERMARK).setLastStableOffset(HIGH_WATERMARK).setLogStartOffset(0)
                .setRecords(MemoryRecords.readableRecords(ByteBuffer.wrap(recordBytes))));
        expected.responses().add(topic);
        return RawClient.frame(new ResponseHeaderData().setCorrelationId(correlationId),
                ApiKeys.FETCH.responseHeaderVersion(version), expected, version);
    }

    private void assertByteIdenticalAndParseable(Mode m) throws Exception {
        mode = m;
        try (RawClient client = new RawClient(server.port())) {
            int correlationId = 0;
            for (short v = ApiKeys.FETCH.oldestVersion(); v <= ApiKeys.FETCH.latestVersion(); v++) {
                correlationId++;
                client.send(request(v), v, correlationId);
                byte[] actual = client.readFrameWithPrefix();
                assertArrayEquals(expectedFrame(v, correlationId), actual, m + " Fetch v" + v);

                ByteBuffer body = ByteBuffer.wrap(actual);
                body.position(4);
                new ResponseHeaderData(new ByteBufferAccessor(body), ApiKeys.FETCH.responseHeaderVersion(v));
                FetchResponse parsed = FetchResponse.parse(new ByteBufferAccessor(body), v);
                FetchResponseData.PartitionData p = parsed.data().responses().get(0).partitions().get(0);
                MemoryRecords records = (MemoryRecords) FetchResponse.recordsOrFail(p);
                List<Long> offsets = new ArrayList<>();
                records.records().forEach(r -> offsets.add(r.offset()));
                assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), offsets, "v" + v);
                records.batches().forEach(RecordBatch::ensureValid);
            }
        }
        awaitReleases();
        assertTrue(segment.isOpen(), "sending a slice must not close the owner's file");
    }

    /** Every file slice's release hook runs once Netty is done with its region (bounded wait). */
    private void awaitReleases() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (fileReleases.get() < fileSlicesSent.get() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(fileSlicesSent.get(), fileReleases.get(), "release hooks run exactly once per file slice");
    }

    @Test
    void fileSliceResponseIsByteIdenticalToHeapResponseAtEveryVersion() throws Exception {
        assertByteIdenticalAndParseable(Mode.FILE);
    }

    @Test
    void mixedBufferAndFileSlicesAreByteIdenticalToo() throws Exception {
        assertByteIdenticalAndParseable(Mode.MIXED);
    }

    @Test
    void kafkaConsumerReadsRecordsServedFromTheFile() throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(tp));
            consumer.seek(tp, 0);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < 9 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    assertEquals("k" + r.offset(), r.key());
                    values.add(r.value());
                }
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            expected.add("value-" + i);
        }
        assertEquals(expected, values);
        awaitReleases();
    }
}
