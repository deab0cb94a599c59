package io.ailurus.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.config.ClusterConfigKeys;
import io.ailurus.core.config.ConfigSource;
import io.ailurus.core.testing.Clients;
import io.ailurus.core.testing.EmbeddedBroker;
import io.ailurus.core.testing.RawKafkaConnection;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Crc32C;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed input on raw sockets, at the level of the whole broker: each bad connection gets a
 * Kafka error or is closed on its own, nothing bad reaches a log, and a well-behaved Java producer
 * and consumer on other connections keep working throughout and lose nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIntegrationTest {
    private static final int MAX_REQUEST_BYTES = 256 * 1024;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    private static final String GOOD_TOPIC = "good";
    private static final String TARGET_TOPIC = "target";

    @TempDir
    static Path dir;
    EmbeddedBroker broker;
    GoodClient good;

    @BeforeAll
    void startBrokerAndGoodClient() throws Exception {
        broker = new EmbeddedBroker(dir, c -> c.withAll(Map.of(
            ClusterConfigKeys.KAFKA_BATCH_MAX_BYTES, MAX_REQUEST_BYTES / 2,
            ClusterConfigKeys.KAFKA_REQUEST_MAX_BYTES, MAX_REQUEST_BYTES), ConfigSource.STATIC_BROKER_CONFIG)).start();
        Clients.createTopic(broker.bootstrap(), GOOD_TOPIC, 2, Map.of());
        Clients.createTopic(broker.bootstrap(), TARGET_TOPIC, 1, Map.of());
        good = new GoodClient(broker.bootstrap());
        good.start();
        good.awaitProgress();
    }

    /** After every bad input: the good client still produces and consumes. */
    @AfterEach
    void goodClientKeptWorking() throws Exception {
        good.awaitProgress();
    }

    /** At the end: every record the good client had acknowledged, through all the bad input, is readable. */
    @AfterAll
    void verifyGoodClientAndStop() throws Exception {
        try {
            if (good != null) {
                good.stopAndVerify();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    private RawKafkaConnection connect() throws Exception {
        return connect(READ_TIMEOUT);
    }

    private RawKafkaConnection connect(Duration readTimeout) throws Exception {
        return new RawKafkaConnection("127.0.0.1", broker.broker().kafkaAddress().getPort(), readTimeout);
    }

    @Test
    void randomBytesInAFrameCloseOnlyThatConnection() throws Exception {
        Random random = new Random(20240611L);
        byte[] garbage = new byte[300];
        random.nextBytes(garbage);
        // The API key field is the first two bytes; keep it out of the served range so the outcome is fixed.
        garbage[0] = (byte) 0x7F;
        try (RawKafkaConnection raw = connect()) {
            raw.sendFrame(garbage);
            assertTrue(raw.closedByPeer(), "a frame of random bytes closes the connection");
        }
    }

    @Test
    void randomBytesWithoutFramingCloseOnlyThatConnection() throws Exception {
        byte[] garbage = new byte[4096];
        new Random(7L).nextBytes(garbage);
        garbage[0] = (byte) 0xC3; // a negative size prefix: never a valid frame
        try (RawKafkaConnection raw = connect()) {
            raw.sendRaw(garbage);
            assertTrue(raw.closedByPeer(), "random bytes close the connection");
        }
    }

    @Test
    void aFrameLargerThanTheMaximumClosesTheConnectionBeforeItIsRead() throws Exception {
        try (RawKafkaConnection raw = connect()) {
            // Only the size prefix and a little of the body: the broker must refuse on the prefix alone.
            raw.sendRaw(ByteBuffer.allocate(4 + 64).putInt(MAX_REQUEST_BYTES + 1).array());
            assertTrue(raw.closedByPeer(), "an oversized frame closes the connection");
        }
    }

    @Test
    void aTruncatedFrameWaitsAndThenTheClientGoesAway() throws Exception {
        try (RawKafkaConnection raw = connect(Duration.ofSeconds(2))) {
            byte[] request = raw.encode(ApiKeys.METADATA, (short) 12, new MetadataRequestData().setTopics(null));
            byte[] framed = ByteBuffer.allocate(4 + request.length).putInt(request.length).put(request).array();
            raw.sendRaw(java.util.Arrays.copyOf(framed, framed.length - 5));
            // An incomplete frame is not an error yet: the broker waits for the rest and answers nothing.
            assertFalse(raw.closedByPeer(), "a partial frame neither gets an answer nor closes the connection");
        }
        // ...and the client closing mid-frame leaves nothing behind; the good client's check follows.
    }

    @Test
    void anUnknownApiKeyClosesTheConnection() throws Exception {
        try (RawKafkaConnection raw = connect()) {
            ByteBuffer header = ByteBuffer.allocate(2 + 2 + 4 + 2)
                .putShort((short) 9999).putShort((short) 0).putInt(42).putShort((short) -1);
            raw.sendFrame(header.array());
            assertTrue(raw.closedByPeer(), "an unknown API key closes the connection");
        }
    }

    @Test
    void anUnsupportedVersionGetsTheKafkaErrorOrClosesTheConnection() throws Exception {
        short tooNew = (short) (ApiKeys.API_VERSIONS.latestVersion() + 10);
        try (RawKafkaConnection raw = connect()) {
            // ApiVersions newer than served: a v0 answer with UNSUPPORTED_VERSION and the versions we do serve.
            // Encoded as the newest version we know (flexible header and body), then labelled as newer still.
            byte[] v = raw.encode(ApiKeys.API_VERSIONS, ApiKeys.API_VERSIONS.latestVersion(), new ApiVersionsRequestData()
                .setClientSoftwareName("raw-test").setClientSoftwareVersion("1.0"));
            ByteBuffer.wrap(v).putShort(2, tooNew);
            raw.sendFrame(v);
            ApiVersionsResponseData response = new ApiVersionsResponseData(
                new ByteBufferAccessor(raw.receive(ApiKeys.API_VERSIONS, (short) 0)), (short) 0);
            assertEquals(Errors.UNSUPPORTED_VERSION.code(), response.errorCode());
            assertNotNullEntry(response, ApiKeys.PRODUCE);
            // The connection stays usable: the client retries at a version it was offered.
            raw.sendFrame(raw.encode(ApiKeys.METADATA, (short) 12, new MetadataRequestData().setTopics(null)));
            MetadataResponseData md = new MetadataResponseData(
                new ByteBufferAccessor(raw.receive(ApiKeys.METADATA, (short) 12)), (short) 12);
            assertTrue(md.topics().stream().anyMatch(t -> t.name().equals(GOOD_TOPIC)));
        }
        try (RawKafkaConnection raw = connect()) {
            // A Metadata version nobody can parse: no response can be built, so the connection closes.
            byte[] m = raw.encode(ApiKeys.METADATA, (short) 12, new MetadataRequestData().setTopics(null));
            ByteBuffer.wrap(m).putShort(2, (short) 99);
            raw.sendFrame(m);
            assertTrue(raw.closedByPeer(), "Metadata v99 closes the connection");
        }
    }

    private static void assertNotNullEntry(ApiVersionsResponseData response, ApiKeys api) {
        assertTrue(response.apiKeys().find(api.id) != null, "the error response lists " + api);
    }

    @Test
    void aProduceWithABadCrcGetsCorruptMessageAndAppendsNothing() throws Exception {
        TopicPartition tp = new TopicPartition(TARGET_TOPIC, 0);
        long endBefore = endOffset(tp);
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE,
            new SimpleRecord(System.currentTimeMillis(), "k".getBytes(), "a record whose last byte is flipped".getBytes()));
        ByteBuffer bytes = records.buffer().duplicate();
        int last = bytes.limit() - 1;
        bytes.put(last, (byte) (bytes.get(last) ^ 0x01));
        ProduceRequestData produce = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000);
        produce.topicData().add(new ProduceRequestData.TopicProduceData().setName(TARGET_TOPIC)
            .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(0)
                .setRecords(MemoryRecords.readableRecords(bytes)))));
        short version = 11;
        try (RawKafkaConnection raw = connect()) {
            raw.sendFrame(raw.encode(ApiKeys.PRODUCE, version, produce));
            ProduceResponseData response = new ProduceResponseData(
                new ByteBufferAccessor(raw.receive(ApiKeys.PRODUCE, version)), version);
            var pr = response.responses().iterator().next().partitionResponses().get(0);
            assertEquals(Errors.CORRUPT_MESSAGE.code(), pr.errorCode(), "error of the corrupted batch: " + pr.errorMessage());

            // The same connection still serves a valid produce, which lands at the old end offset.
            MemoryRecords valid = MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord(System.currentTimeMillis(), "k".getBytes(), "intact".getBytes()));
            produce.topicData().iterator().next().partitionData().get(0).setRecords(valid);
            raw.sendFrame(raw.encode(ApiKeys.PRODUCE, version, produce));
            ProduceResponseData ok = new ProduceResponseData(
                new ByteBufferAccessor(raw.receive(ApiKeys.PRODUCE, version)), version);
            var okp = ok.responses().iterator().next().partitionResponses().get(0);
            assertEquals(Errors.NONE.code(), okp.errorCode(), okp.errorMessage());
            assertEquals(endBefore, okp.baseOffset(), "nothing was appended for the corrupted batch");
        }
        var read = Clients.readFromStart(broker.bootstrap(), List.of(tp), (int) endBefore + 1, Duration.ofSeconds(30));
        assertEquals(endBefore + 1, read.size());
        assertEquals("intact", new String(read.get(read.size() - 1).value()));
    }

    /**
     * Batches whose CRC is right but whose content is not (a client bug, not a transmission error):
     * a compressed payload that does not decompress, and an uncompressed batch whose records do not
     * parse. Stored, they would stop every consumer of the partition at that offset; the broker
     * refuses them as Kafka's does.
     */
    @Test
    void aBatchWithAValidCrcButUnreadableRecordsIsRefused() throws Exception {
        TopicPartition tp = new TopicPartition(TARGET_TOPIC, 0);
        for (Compression compression : List.of(Compression.gzip().build(), Compression.NONE)) {
            long endBefore = endOffset(tp);
            SimpleRecord[] records = new SimpleRecord[20];
            for (int i = 0; i < records.length; i++) {
                records[i] = new SimpleRecord(System.currentTimeMillis(), ("k" + i).getBytes(), ("value " + i).getBytes());
            }
            ByteBuffer batch = MemoryRecords.withRecords(compression, records).buffer().duplicate();
            int recordsStart = DefaultRecordBatch.RECORDS_COUNT_OFFSET + 4;
            for (int i = recordsStart + 3; i < batch.limit(); i += 7) {
                batch.put(i, (byte) (batch.get(i) ^ 0x5A)); // garble the records...
            }
            long crc = Crc32C.compute(batch, DefaultRecordBatch.CRC_OFFSET + 4, batch.limit() - DefaultRecordBatch.CRC_OFFSET - 4);
            batch.putInt(DefaultRecordBatch.CRC_OFFSET, (int) crc); // ...and make the CRC match them
            ProduceRequestData produce = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000);
            produce.topicData().add(new ProduceRequestData.TopicProduceData().setName(TARGET_TOPIC)
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(0)
                    .setRecords(MemoryRecords.readableRecords(batch)))));
            short version = 11;
            try (RawKafkaConnection raw = connect()) {
                raw.sendFrame(raw.encode(ApiKeys.PRODUCE, version, produce));
                ProduceResponseData response = new ProduceResponseData(
                    new ByteBufferAccessor(raw.receive(ApiKeys.PRODUCE, version)), version);
                var pr = response.responses().iterator().next().partitionResponses().get(0);
                assertTrue(pr.errorCode() == Errors.CORRUPT_MESSAGE.code() || pr.errorCode() == Errors.INVALID_RECORD.code(),
                    compression + ": error " + Errors.forCode(pr.errorCode()) + " " + pr.errorMessage());
            }
            assertEquals(endBefore, endOffset(tp), compression + ": nothing appended");
        }
    }

    private long endOffset(TopicPartition tp) {
        try (var c = Clients.consumer(broker.bootstrap(), Map.of())) {
            return c.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
        }
    }

    /**
     * The well-behaved client: a producer thread sending numbered records with acks=all and an
     * assign() consumer thread reading them back, each on its own connection.
     */
    static final class GoodClient {
        private final String bootstrap;
        private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        private final Set<Long> read = ConcurrentHashMap.newKeySet();
        private final AtomicLong consumed = new AtomicLong();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private Thread producerThread;
        private Thread consumerThread;

        GoodClient(String bootstrap) {
            this.bootstrap = bootstrap;
        }

        void start() {
            producerThread = new Thread(this::produce, "good-producer");
            consumerThread = new Thread(this::consume, "good-consumer");
            producerThread.start();
            consumerThread.start();
        }

        private void produce() {
            try (var producer = Clients.producer(bootstrap, Map.of(ProducerConfig.LINGER_MS_CONFIG, 2,
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES / 2))) {
                long id = 0;
                while (!stop.get()) {
                    long n = id++;
                    producer.send(new ProducerRecord<>(GOOD_TOPIC, (int) (n % 2), null,
                        ByteBuffer.allocate(8).putLong(n).array()), (md, err) -> {
                            if (err == null) {
                                acknowledged.add(n);
                            } else {
                                failure.compareAndSet(null, err);
                            }
                        });
                    if (n % 200 == 0) {
                        Thread.sleep(5);
                    }
                }
                producer.flush();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }

        private void consume() {
            try (var consumer = Clients.consumer(bootstrap, Map.of())) {
                List<TopicPartition> tps = Clients.partitions(GOOD_TOPIC, 2);
                consumer.assign(tps);
                consumer.seekToEnd(tps);
                while (!stop.get()) {
                    for (var r : consumer.poll(Duration.ofMillis(100))) {
                        read.add(ByteBuffer.wrap(r.value()).getLong());
                        consumed.incrementAndGet();
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }

        /** Waits (bounded) until both more acknowledgements and more reads arrive than now. */
        void awaitProgress() throws InterruptedException {
            long acks = acknowledged.size();
            long reads = consumed.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((acknowledged.size() <= acks + 100 || consumed.get() <= reads + 100) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertNull(failure.get(), "the good client failed");
            assertTrue(acknowledged.size() > acks + 100, "the good producer keeps getting acknowledgements");
            assertTrue(consumed.get() > reads + 100, "the good consumer keeps reading");
        }

        /** Stops both threads; every acknowledged record of this run must be readable. */
        void stopAndVerify() throws Exception {
            stop.set(true);
            producerThread.join(30_000);
            consumerThread.join(30_000);
            assertFalse(producerThread.isAlive() || consumerThread.isAlive(), "the good client's threads stopped");
            assertNull(failure.get(), "the good client failed");
            Set<Long> missing = new HashSet<>(acknowledged);
            missing.removeAll(read);
            if (!missing.isEmpty()) {
                // The consumer may have stopped just before the last acknowledged records; read them now.
                List<TopicPartition> tps = Clients.partitions(GOOD_TOPIC, 2);
                try (var c = Clients.consumer(bootstrap, Map.of())) {
                    c.assign(tps);
                    c.seekToBeginning(tps);
                    long total = c.endOffsets(tps).values().stream().mapToLong(Long::longValue).sum();
                    var all = Clients.pollUntil(c, Duration.ofSeconds(60),
                        m -> m.values().stream().mapToInt(List::size).sum() >= total);
                    all.values().forEach(l -> l.forEach(r -> missing.remove(ByteBuffer.wrap(r.value()).getLong())));
                }
            }
            assertEquals(Set.of(), missing, "acknowledged records the good client cannot read");
        }
    }
}
