package io.ailurus.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ailurus.core.testing.Clients;
import io.ailurus.core.testing.EmbeddedBroker;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One million 100-byte records over 16 partitions through Kafka's Java producer (acks=all, the
 * idempotent default) and back through an assign() consumer: every record comes back once, at the
 * offset it was acknowledged with, in per-partition order, with the bytes it was sent with.
 */
class LargeVolumeIntegrationTest {
    private static final int PARTITIONS = 16;
    private static final int RECORDS = 1_000_000;
    private static final int VALUE_BYTES = 100;
    private static final String TOPIC = "volume";

    @TempDir
    Path dir;

    /**
     * A record value that names its partition and per-partition sequence number; the remaining
     * bytes are a function of both, so a record served at the wrong place or with a changed byte
     * is noticed.
     */
    static byte[] value(int partition, long seq) {
        ByteBuffer b = ByteBuffer.allocate(VALUE_BYTES).putInt(partition).putLong(seq);
        long x = (seq + 1) * 0x9E3779B97F4A7C15L ^ partition;
        while (b.hasRemaining()) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            b.put((byte) x);
        }
        return b.array();
    }

    @Test
    void aMillionRecordsOverSixteenPartitionsComeBackExactlyAndInOrder() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(dir).start()) {
            String bootstrap = broker.bootstrap();
            Clients.createTopic(bootstrap, TOPIC, PARTITIONS, Map.of());

            CRC32[] sent = new CRC32[PARTITIONS];
            long[] sentCount = new long[PARTITIONS];
            AtomicReference<String> ackProblem = new AtomicReference<>();
            long produceStart = System.nanoTime();
            try (var producer = Clients.producer(bootstrap, Map.of(
                    ProducerConfig.LINGER_MS_CONFIG, 5,
                    ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024,
                    ProducerConfig.BUFFER_MEMORY_CONFIG, 64L << 20))) {
                for (int p = 0; p < PARTITIONS; p++) {
                    sent[p] = new CRC32();
                }
                for (int i = 0; i < RECORDS; i++) {
                    int p = i % PARTITIONS;
                    long seq = sentCount[p]++;
                    byte[] v = value(p, seq);
                    sent[p].update(v);
                    producer.send(new ProducerRecord<>(TOPIC, p, null, v), (md, err) -> {
                        // Idempotence keeps per-partition order, so the n-th record of a partition is offset n.
                        if (err != null) {
                            ackProblem.compareAndSet(null, "send of " + p + "/" + seq + " failed: " + err);
                        } else if (md.offset() != seq) {
                            ackProblem.compareAndSet(null, "record " + p + "/" + seq + " acknowledged at offset " + md.offset());
                        }
                    });
                }
                producer.flush();
            }
            assertNull(ackProblem.get());
            long produceNanos = System.nanoTime() - produceStart;

            List<TopicPartition> tps = Clients.partitions(TOPIC, PARTITIONS);
            CRC32[] read = new CRC32[PARTITIONS];
            long[] next = new long[PARTITIONS];
            for (int p = 0; p < PARTITIONS; p++) {
                read[p] = new CRC32();
            }
            try (var consumer = Clients.consumer(bootstrap, Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20_000))) {
                consumer.assign(tps);
                consumer.seekToBeginning(tps);
                Map<TopicPartition, Long> ends = consumer.endOffsets(tps, Duration.ofSeconds(30));
                for (TopicPartition tp : tps) {
                    assertEquals(sentCount[tp.partition()], ends.get(tp), "end offset of " + tp);
                }
                long total = 0;
                long consumeStart = System.nanoTime();
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                while (total < RECORDS && System.nanoTime() < deadline) {
                    for (var r : consumer.poll(Duration.ofMillis(500))) {
                        int p = r.partition();
                        // Offsets are dense and each carries the record sent as that partition's offset-th.
                        assertEquals(next[p], r.offset(), "offset in partition " + p);
                        ByteBuffer v = ByteBuffer.wrap(r.value());
                        assertEquals(p, v.getInt(), "partition named by the record at " + p + "/" + r.offset());
                        assertEquals(r.offset(), v.getLong(), "sequence named by the record at " + p + "/" + r.offset());
                        read[p].update(r.value());
                        next[p]++;
                        total++;
                    }
                }
                assertEquals(RECORDS, total, "records read back");
                // Reported, not asserted: speed is the benchmarks' business, but the figure is handy.
                System.out.printf("produced %d records in %.1f s, consumed them in %.1f s%n", RECORDS,
                    produceNanos / 1e9, (System.nanoTime() - consumeStart) / 1e9);
            }
            for (int p = 0; p < PARTITIONS; p++) {
                assertEquals(sentCount[p], next[p], "records of partition " + p);
                assertEquals(sent[p].getValue(), read[p].getValue(), "content checksum of partition " + p);
            }
        }
    }
}
