package io.ailurus.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.testing.Clients;
import io.ailurus.core.testing.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Positioning a consumer: by offset, by timestamp (inside compressed batches too), the log's
 * bounds, the record with the largest timestamp, out-of-range offsets under each
 * {@code auto.offset.reset}, and broker-assigned timestamps on a LogAppendTime topic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeekIntegrationTest {
    private static final String TOPIC = "timed";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final int RECORDS = 200;
    /** The record given the largest timestamp: deliberately neither the first nor the last. */
    private static final int MAX_TS_INDEX = 137;

    @TempDir
    static Path dir;
    EmbeddedBroker broker;
    /** Within message.timestamp.before.max.ms of now, and every timestamp stays in the past. */
    final long t0 = System.currentTimeMillis() - TimeUnit.MINUTES.toMillis(30);

    static String valueOf(int i) {
        return "record-" + i;
    }

    long timestampOf(int i) {
        return i == MAX_TS_INDEX ? t0 + TimeUnit.MINUTES.toMillis(20) : t0 + 10L * i;
    }

    @BeforeAll
    void startAndFill() throws Exception {
        broker = new EmbeddedBroker(dir).start();
        Clients.createTopic(broker.bootstrap(), TOPIC, 1, Map.of());
        // gzip and a long linger: the records travel in a few large compressed batches, so most
        // timestamps looked up below sit in the middle of one.
        try (var producer = Clients.producer(broker.bootstrap(), Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip",
                ProducerConfig.LINGER_MS_CONFIG, 200, ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20))) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                acks.add(producer.send(new ProducerRecord<>(TOPIC, 0, timestampOf(i), null, valueOf(i).getBytes())));
            }
            for (int i = 0; i < RECORDS; i++) {
                assertEquals(i, acks.get(i).get(30, TimeUnit.SECONDS).offset());
            }
        }
    }

    @AfterAll
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer(String reset) {
        return Clients.consumer(broker.bootstrap(), Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset));
    }

    private static ConsumerRecord<byte[], byte[]> firstRecord(KafkaConsumer<byte[], byte[]> c) {
        var got = Clients.pollUntil(c, Duration.ofSeconds(30), m -> !m.isEmpty());
        assertFalse(got.isEmpty(), "a record arrives");
        return got.values().iterator().next().get(0);
    }

    @Test
    void seekByOffsetReadsFromThatOffset() {
        try (var c = consumer("earliest")) {
            c.assign(List.of(TP));
            for (int target : new int[] {42, 0, 199, 7}) {
                c.seek(TP, target);
                ConsumerRecord<byte[], byte[]> r = firstRecord(c);
                assertEquals(target, r.offset());
                assertEquals(valueOf(target), new String(r.value()));
                assertEquals(timestampOf(target), r.timestamp());
                assertEquals(TimestampType.CREATE_TIME, r.timestampType());
            }
        }
    }

    @Test
    void offsetsForTimesFindTheFirstRecordAtOrAfterTheTimestampInsideCompressedBatches() {
        try (var c = consumer("earliest")) {
            // Between records 55 and 56: the answer is 56, inside a compressed batch.
            Map<TopicPartition, OffsetAndTimestamp> between = c.offsetsForTimes(Map.of(TP, t0 + 555), Duration.ofSeconds(30));
            assertEquals(56, between.get(TP).offset());
            assertEquals(timestampOf(56), between.get(TP).timestamp());
            // Exactly a record's timestamp.
            assertEquals(101, c.offsetsForTimes(Map.of(TP, timestampOf(101)), Duration.ofSeconds(30)).get(TP).offset());
            // Before everything: the first record.
            assertEquals(0, c.offsetsForTimes(Map.of(TP, t0 - 60_000), Duration.ofSeconds(30)).get(TP).offset());
            // After the ordinary records but before the outlier: the outlier is the first at or after it.
            long afterTheRest = timestampOf(RECORDS - 1) + 1;
            assertEquals(MAX_TS_INDEX, c.offsetsForTimes(Map.of(TP, afterTheRest), Duration.ofSeconds(30)).get(TP).offset());
            // After every timestamp: no such record.
            assertNull(c.offsetsForTimes(Map.of(TP, timestampOf(MAX_TS_INDEX) + 1), Duration.ofSeconds(30)).get(TP));

            // The consumer can position itself with the answer.
            c.assign(List.of(TP));
            c.seek(TP, between.get(TP).offset());
            assertEquals(valueOf(56), new String(firstRecord(c).value()));
        }
    }

    @Test
    void beginningAndEndOffsetsAreTheLogBounds() {
        try (var c = consumer("earliest")) {
            assertEquals(0L, c.beginningOffsets(List.of(TP), Duration.ofSeconds(30)).get(TP));
            assertEquals((long) RECORDS, c.endOffsets(List.of(TP), Duration.ofSeconds(30)).get(TP));
        }
    }

    @Test
    void listOffsetsMaxTimestampNamesTheRecordWithTheLargestTimestamp() throws Exception {
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            var info = admin.listOffsets(Map.of(TP, OffsetSpec.maxTimestamp())).partitionResult(TP).get(30, TimeUnit.SECONDS);
            assertEquals(MAX_TS_INDEX, info.offset());
            assertEquals(timestampOf(MAX_TS_INDEX), info.timestamp());
            assertEquals(RECORDS, admin.listOffsets(Map.of(TP, OffsetSpec.latest())).partitionResult(TP).get().offset());
            assertEquals(0, admin.listOffsets(Map.of(TP, OffsetSpec.earliest())).partitionResult(TP).get().offset());
            assertEquals(56, admin.listOffsets(Map.of(TP, OffsetSpec.forTimestamp(t0 + 555))).partitionResult(TP).get().offset());
        }
    }

    @Test
    void anOutOfRangeOffsetFollowsAutoOffsetReset() {
        try (var c = consumer("earliest")) {
            c.assign(List.of(TP));
            c.seek(TP, RECORDS + 1000);
            ConsumerRecord<byte[], byte[]> r = firstRecord(c);
            assertEquals(0, r.offset(), "earliest: back to the log start");
        }
        try (var c = consumer("latest")) {
            c.assign(List.of(TP));
            c.seek(TP, RECORDS + 1000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (c.position(TP, Duration.ofSeconds(30)) != RECORDS && System.nanoTime() < deadline) {
                assertTrue(c.poll(Duration.ofMillis(200)).isEmpty(), "latest: nothing is read from the past");
            }
            assertEquals(RECORDS, c.position(TP), "latest: to the log end");
        }
        try (var c = consumer("none")) {
            c.assign(List.of(TP));
            c.seek(TP, RECORDS + 1000);
            OffsetOutOfRangeException e = assertThrows(OffsetOutOfRangeException.class, () -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < deadline) {
                    c.poll(Duration.ofMillis(200));
                }
            });
            assertEquals(RECORDS + 1000L, e.offsetOutOfRangePartitions().get(TP));
        }
    }

    @Test
    void aLogAppendTimeTopicReturnsTheBrokersTimestamps() throws Exception {
        String topic = "append-time";
        TopicPartition tp = new TopicPartition(topic, 0);
        Clients.createTopic(broker.bootstrap(), topic, 1, Map.of("message.timestamp.type", "LogAppendTime"));
        long before = System.currentTimeMillis();
        RecordMetadata md;
        try (var producer = Clients.producer(broker.bootstrap(), Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"))) {
            // A client timestamp far in the past that the broker must replace (and not reject as too old).
            producer.send(new ProducerRecord<>(topic, 0, t0, null, "a".getBytes()));
            md = producer.send(new ProducerRecord<>(topic, 0, t0, null, "b".getBytes())).get(30, TimeUnit.SECONDS);
        }
        long after = System.currentTimeMillis();
        assertTrue(md.timestamp() >= before && md.timestamp() <= after,
            "the acknowledgement carries the broker's append time: " + md.timestamp());
        var read = Clients.readFromStart(broker.bootstrap(), List.of(tp), 2, Duration.ofSeconds(30));
        assertEquals(2, read.size());
        for (var r : read) {
            assertEquals(TimestampType.LOG_APPEND_TIME, r.timestampType());
            assertTrue(r.timestamp() >= before && r.timestamp() <= after, "broker timestamp " + r.timestamp());
        }
        // Lookups by time use the broker's timestamps too, not the ones the client sent.
        try (var c = consumer("earliest")) {
            var atAppend = c.offsetsForTimes(Map.of(tp, before), Duration.ofSeconds(30)).get(tp);
            assertEquals(0, atAppend.offset());
            assertTrue(atAppend.timestamp() >= before, "found at broker time " + atAppend.timestamp());
            assertNull(c.offsetsForTimes(Map.of(tp, after + 1), Duration.ofSeconds(30)).get(tp));
        }
    }
}
