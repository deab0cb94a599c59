package io.ailurus.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ailurus.core.testing.Clients;
import io.ailurus.core.testing.EmbeddedBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records of every shape round-trip through the Java clients: headers, null keys, tombstones, empty
 * values, records near the size limit; a batch over {@code max.message.bytes} is refused whole; a
 * consumer whose fetch size is smaller than one batch still makes progress (KIP-74).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordShapesIntegrationTest {
    @TempDir
    static Path dir;
    EmbeddedBroker broker;

    @BeforeAll
    void start() throws Exception {
        broker = new EmbeddedBroker(dir).start();
    }

    @AfterAll
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void headersNullKeysTombstonesAndEmptyValuesRoundTrip() throws Exception {
        String topic = "shapes";
        Clients.createTopic(broker.bootstrap(), topic, 1, Map.of());
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader("trace", "abc".getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader("trace", "again".getBytes(StandardCharsets.UTF_8))); // repeated key, kept in order
        headers.add(new RecordHeader("empty", new byte[0]));
        headers.add(new RecordHeader("null", null));
        try (var producer = Clients.producer(broker.bootstrap(), Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, "snappy"))) {
            producer.send(new ProducerRecord<>(topic, 0, null, "k".getBytes(), "with headers".getBytes(), headers));
            producer.send(new ProducerRecord<>(topic, 0, null, null, "no key".getBytes()));
            producer.send(new ProducerRecord<>(topic, 0, null, "gone".getBytes(), (byte[]) null));
            producer.send(new ProducerRecord<>(topic, 0, null, new byte[0], new byte[0])).get(30, TimeUnit.SECONDS);
        }
        var read = Clients.readFromStart(broker.bootstrap(), List.of(new TopicPartition(topic, 0)), 4, Duration.ofSeconds(30));
        assertEquals(4, read.size());

        var h = read.get(0).headers().toArray();
        assertEquals(4, h.length);
        assertEquals("trace", h[0].key());
        assertEquals("abc", new String(h[0].value(), StandardCharsets.UTF_8));
        assertEquals("again", new String(h[1].value(), StandardCharsets.UTF_8));
        assertArrayEquals(new byte[0], h[2].value());
        assertNull(h[3].value());

        assertNull(read.get(1).key());
        assertEquals("no key", new String(read.get(1).value()));
        assertEquals("gone", new String(read.get(2).key()));
        assertNull(read.get(2).value(), "a tombstone stays null, not empty");
        assertArrayEquals(new byte[0], read.get(3).key());
        assertArrayEquals(new byte[0], read.get(3).value());
    }

    @Test
    void aRecordNearTheLimitIsAcceptedAndOneOverItIsRefusedWhole() throws Exception {
        String topic = "limits";
        int limit = 64 * 1024;
        Clients.createTopic(broker.bootstrap(), topic, 1, Map.of("max.message.bytes", Integer.toString(limit)));
        byte[] fits = new byte[limit - 1024];
        byte[] tooBig = new byte[limit + 1024];
        new Random(1).nextBytes(fits);
        new Random(2).nextBytes(tooBig);
        // The client's own max.request.size is far above the topic's limit: the broker is what refuses.
        try (var producer = Clients.producer(broker.bootstrap(), Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1 << 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20))) {
            assertEquals(0, producer.send(new ProducerRecord<>(topic, 0, null, fits)).get(30, TimeUnit.SECONDS).offset());
            ExecutionException e = assertThrows(ExecutionException.class,
                () -> producer.send(new ProducerRecord<>(topic, 0, null, tooBig)).get(30, TimeUnit.SECONDS));
            assertInstanceOf(RecordTooLargeException.class, e.getCause());
            assertEquals(1, producer.send(new ProducerRecord<>(topic, 0, null, "small".getBytes())).get(30, TimeUnit.SECONDS).offset(),
                "the refused record took no offset");
        }
        var read = Clients.readFromStart(broker.bootstrap(), List.of(new TopicPartition(topic, 0)), 2, Duration.ofSeconds(30));
        assertEquals(2, read.size());
        assertArrayEquals(fits, read.get(0).value());
        assertEquals("small", new String(read.get(1).value()));
    }

    @Test
    void aFetchSizeSmallerThanABatchStillReturnsWholeBatches() throws Exception {
        String topic = "tiny-fetch";
        Clients.createTopic(broker.bootstrap(), topic, 1, Map.of());
        int n = 400;
        try (var producer = Clients.producer(broker.bootstrap(), Map.of(ProducerConfig.LINGER_MS_CONFIG, 50))) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                acks.add(producer.send(new ProducerRecord<>(topic, 0, null, ("value-" + i + "-" + "p".repeat(200)).getBytes())));
            }
            for (var f : acks) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        TopicPartition tp = new TopicPartition(topic, 0);
        try (var c = Clients.consumer(broker.bootstrap(), Map.of(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 512,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 1024))) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            var got = Clients.pollUntil(c, Duration.ofSeconds(60), m -> m.values().stream().mapToInt(List::size).sum() >= n);
            var records = got.get(0);
            assertEquals(n, records.size());
            for (int i = 0; i < n; i++) {
                assertEquals(i, records.get(i).offset());
                assertEquals("value-" + i + "-" + "p".repeat(200), new String(records.get(i).value()));
            }
        }
    }
}
