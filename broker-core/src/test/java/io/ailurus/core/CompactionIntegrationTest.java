package io.ailurus.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.cluster.Await;
import io.ailurus.core.config.ClusterConfigKeys;
import io.ailurus.core.config.ConfigSource;
import io.ailurus.core.testing.ChildProcess;
import io.ailurus.core.testing.Clients;
import io.ailurus.core.testing.EmbeddedBroker;
import io.ailurus.core.testing.Kcat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log compaction end to end: a real broker, the Kafka Java producer and consumer, a cleanup.policy=compact topic
 * whose segments roll quickly and a cleaner that looks every 200 ms.
 */
class CompactionIntegrationTest {
    private static final String TOPIC = "compacted";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    @TempDir
    Path dir;
    private EmbeddedBroker broker;

    /** A record as a consumer sees it. */
    record Seen(long offset, String key, String value) {}

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private EmbeddedBroker start() throws Exception {
        return new EmbeddedBroker(dir, c -> c.withAll(Map.of(
            ClusterConfigKeys.LOG_COMPACTION_INTERVAL_MS, 200L), ConfigSource.STATIC_BROKER_CONFIG)).start();
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** Everything from the log start to the current end offset, in offset order. */
    private List<Seen> readAll() {
        try (var c = Clients.consumer(broker.bootstrap(), Map.of())) {
            c.assign(List.of(TP));
            c.seekToBeginning(List.of(TP));
            long end = c.endOffsets(List.of(TP), Duration.ofSeconds(10)).get(TP);
            List<Seen> out = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (c.position(TP, Duration.ofSeconds(10)) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(new Seen(r.offset(), text(r.key()), text(r.value())));
                }
            }
            return out;
        }
    }

    @Test
    void aConsumerFromTheStartSeesTheLatestValuePerKeyAtItsOriginalOffsetAndNoDeletedKey() throws Exception {
        broker = start();
        Clients.createTopic(broker.bootstrap(), TOPIC, 1, Map.of(
            "cleanup.policy", "compact",
            "segment.ms", "100",
            "min.cleanable.dirty.ratio", "0.01",
            "delete.retention.ms", "0"));
        Map<String, Seen> latest = new TreeMap<>();
        int produced = 0;
        try (KafkaProducer<byte[], byte[]> p = Clients.producer(broker.bootstrap(), Map.of())) {
            for (int round = 0; round < 15; round++) {
                for (int k = 0; k < 8; k++) {
                    String key = "key-" + k;
                    // Keys 6 and 7 are deleted (a tombstone) in round 12 and never written again.
                    if (k >= 6 && round > 12) {
                        continue;
                    }
                    String value = k >= 6 && round == 12 ? null : key + "@" + round;
                    RecordMetadata md = p.send(new ProducerRecord<>(TOPIC, bytes(key), bytes(value))).get(30, TimeUnit.SECONDS);
                    produced++;
                    if (value == null) {
                        latest.remove(key);
                    } else {
                        latest.put(key, new Seen(md.offset(), key, value));
                    }
                }
                // Older than segment.ms: the next round's first append rolls a new segment.
                Thread.sleep(120);
            }
            RecordMetadata md = p.send(new ProducerRecord<>(TOPIC, bytes("sentinel"), bytes("last"))).get(30, TimeUnit.SECONDS);
            produced++;
            latest.put("sentinel", new Seen(md.offset(), "sentinel", "last"));
        }
        List<Seen> expected = new ArrayList<>(latest.values());
        expected.sort(Comparator.comparingLong(Seen::offset));
        assertEquals(produced - 1, expected.getLast().offset(), "offsets were dense when produced");

        List<Seen>[] last = new List[1];
        Await.until("the cleaner to compact the topic down to the latest value per key", Duration.ofSeconds(60), () -> {
            last[0] = readAll();
            return last[0].equals(expected);
        });
        assertEquals(expected, last[0]);
        // librdkafka reads the compacted log (gaps, emptied batches) the same way.
        ChildProcess.Result kcat = new Kcat(broker.bootstrap()).run(Duration.ofSeconds(60),
            "-C", "-t", TOPIC, "-p", "0", "-o", "beginning", "-e", "-q", "-f", "%o %k %s\\n");
        assertEquals(0, kcat.exitCode(), kcat.stderr());
        assertEquals(expected.stream().map(e -> e.offset() + " " + e.key() + " " + e.value()).toList(), kcat.lines());
        assertTrue(broker.broker().admin().metrics().scrapeInternal()
                .lines().anyMatch(l -> l.startsWith("ailurus_storage_compaction_records_removed_total") && !l.endsWith(" 0.0")),
            "the records-removed counter moved");

        // The compacted log survives a restart as it is, and the log end offset keeps its numbering.
        broker.stop();
        broker.start();
        assertEquals(expected, readAll());
        try (var c = Clients.consumer(broker.bootstrap(), Map.of())) {
            assertEquals(produced, c.endOffsets(List.of(TP), Duration.ofSeconds(10)).get(TP));
        }
    }

    @Test
    void multiRecordBatchesOfEveryKafkaCodecAreCompactedPartly() throws Exception {
        broker = start();
        Clients.createTopic(broker.bootstrap(), TOPIC, 1, Map.of(
            "cleanup.policy", "compact", "segment.ms", "100", "min.cleanable.dirty.ratio", "0.01"));
        Map<String, Seen> latest = new TreeMap<>();
        List<String> codecs = List.of("zstd", "lz4", "snappy", "gzip", "none");
        for (int round = 0; round < codecs.size(); round++) {
            // One producer per codec; a whole round sent before waiting, so batches hold several records and only
            // some of them are superseded later (key-r is written for the last time in round r).
            try (KafkaProducer<byte[], byte[]> p = Clients.producer(broker.bootstrap(),
                    Map.of("compression.type", codecs.get(round), "linger.ms", 50))) {
                List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
                List<String> keys = new ArrayList<>();
                for (int k = round; k < codecs.size(); k++) {
                    String key = "key-" + k;
                    sent.add(p.send(new ProducerRecord<>(TOPIC, bytes(key), bytes(key + "@" + codecs.get(round)))));
                    keys.add(key);
                }
                for (int i = 0; i < sent.size(); i++) {
                    long offset = sent.get(i).get(30, TimeUnit.SECONDS).offset();
                    latest.put(keys.get(i), new Seen(offset, keys.get(i), keys.get(i) + "@" + codecs.get(round)));
                }
            }
            Thread.sleep(120);
        }
        try (KafkaProducer<byte[], byte[]> p = Clients.producer(broker.bootstrap(), Map.of())) {
            long offset = p.send(new ProducerRecord<>(TOPIC, bytes("sentinel"), bytes("last"))).get(30, TimeUnit.SECONDS).offset();
            latest.put("sentinel", new Seen(offset, "sentinel", "last"));
        }
        List<Seen> expected = new ArrayList<>(latest.values());
        expected.sort(Comparator.comparingLong(Seen::offset));
        List<Seen>[] last = new List[1];
        Await.until("compaction of the compressed batches", Duration.ofSeconds(60), () -> {
            last[0] = readAll();
            return last[0].equals(expected);
        });
        assertEquals(expected, last[0]);
    }

    @Test
    void aRecordWithoutKeyIsRefusedByACompactedTopicAndNothingIsAppended() throws Exception {
        broker = start();
        Clients.createTopic(broker.bootstrap(), TOPIC, 1, Map.of("cleanup.policy", "compact,delete"));
        Clients.createTopic(broker.bootstrap(), "plain", 1, Map.of());
        try (KafkaProducer<byte[], byte[]> p = Clients.producer(broker.bootstrap(), Map.of("retries", 0))) {
            ExecutionException e = assertThrows(ExecutionException.class,
                () -> p.send(new ProducerRecord<>(TOPIC, null, bytes("no key"))).get(30, TimeUnit.SECONDS));
            assertInstanceOf(InvalidRecordException.class, e.getCause(), e.getCause().toString());
            assertTrue(e.getCause().getMessage().contains("without key"), e.getCause().getMessage());
            p.send(new ProducerRecord<>(TOPIC, bytes("k"), bytes("with key"))).get(30, TimeUnit.SECONDS);
            // The same keyless record is fine on a topic that is only deleted by retention.
            p.send(new ProducerRecord<>("plain", null, bytes("no key"))).get(30, TimeUnit.SECONDS);
        }
        assertEquals(List.of(new Seen(0, "k", "with key")), readAll());
    }
}
